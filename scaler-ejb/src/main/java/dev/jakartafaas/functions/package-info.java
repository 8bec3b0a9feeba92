/**
 * Functions as the API sees them: the OpenFaaS deployment and status documents, name and namespace
 * rules, and their JSON mapping.
 */
package dev.jakartafaas.functions;
