# The gateway (Payara Micro + gateway WAR, swarm backend) on a public base image, for users who push
# images to a registry. Build from the repository root after `mvn package`:
#   docker build -f stack/dockerfiles/gateway.Dockerfile -t <registry>/faas-gateway:<tag> .
FROM eclipse-temurin:17-jre
COPY gateway-war/target/payara-micro.jar gateway-war/target/gateway.war \
     config/payara-pre-boot.txt stack/images/gateway-entrypoint.sh /opt/faas/
RUN mv /opt/faas/gateway-entrypoint.sh /opt/faas/entrypoint.sh && chmod 755 /opt/faas/entrypoint.sh
ENV FAAS_BACKEND=swarm
WORKDIR /opt/faas
EXPOSE 8080
ENTRYPOINT ["/opt/faas/entrypoint.sh"]
