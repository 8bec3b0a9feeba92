# A function on the watchdog image above: its command, and its files when it has any. From the
# repository root, e.g. the nodeinfo sample:
#   docker build -f stack/dockerfiles/function.Dockerfile \
#     --build-arg BASE=<registry>/faas-watchdog:<tag> --build-arg FUNCTION=stack/functions/nodeinfo \
#     --build-arg FPROCESS="sh /home/app/nodeinfo.sh" -t <registry>/faas-fn-nodeinfo:<tag> .
# A function that is only a command (echoit: cat) can use FUNCTION=stack/functions/none.
ARG BASE=faas-watchdog:latest
FROM ${BASE}
ARG FUNCTION=stack/functions/none
ARG FPROCESS=cat
COPY ${FUNCTION}/ /home/app/
ENV fprocess=${FPROCESS}
