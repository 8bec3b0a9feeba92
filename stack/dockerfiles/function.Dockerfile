# A sample function on the watchdog image above; FPROCESS and FILES select the function, e.g.
#   docker build -f stack/dockerfiles/function.Dockerfile --build-arg BASE=<registry>/faas-watchdog:<tag> \
#     --build-arg FPROCESS="sh /home/app/nodeinfo.sh" --build-arg FILES=stack/functions/nodeinfo \
#     -t <registry>/faas-fn-nodeinfo:<tag> .
ARG BASE=faas-watchdog:latest
FROM ${BASE}
ARG FPROCESS=cat
ARG FILES=stack/functions/.none
COPY ${FILES}* /home/app/
ENV fprocess=${FPROCESS}
