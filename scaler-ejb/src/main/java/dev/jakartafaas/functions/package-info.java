/**
 * Functions as the API sees them: {@code /system/functions}, {@code /system/function/{name}} and
 * {@code /system/namespaces}, the OpenFaaS deployment and status documents, name and namespace
 * rules, and their JSON mapping.
 */
package dev.jakartafaas.functions;
