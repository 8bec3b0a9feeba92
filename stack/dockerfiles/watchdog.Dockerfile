# The watchdog on a public base image, for users who push images to a registry (stack/build-images.sh
# builds the same thing FROM scratch, offline). Build from the repository root after `mvn package`:
#   docker build -f stack/dockerfiles/watchdog.Dockerfile -t <registry>/faas-watchdog:<tag> .
# A function image then only adds its files and its command:
#   FROM <registry>/faas-watchdog:<tag>
#   ENV fprocess="wc -l"
FROM eclipse-temurin:17-jre
RUN useradd --create-home --uid 1000 app
COPY watchdog-jar/target/watchdog.jar stack/images/watchdog-entrypoint.sh /opt/faas/
RUN chmod 755 /opt/faas/watchdog-entrypoint.sh
WORKDIR /home/app
USER app
EXPOSE 8080
ENTRYPOINT ["/opt/faas/watchdog-entrypoint.sh"]
