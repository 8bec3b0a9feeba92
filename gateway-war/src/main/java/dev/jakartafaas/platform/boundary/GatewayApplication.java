package dev.jakartafaas.platform.boundary;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The management API lives under {@code /system}; invocation, health and the UI are servlets and
 * static files beside it.
 */
@ApplicationPath("system")
public class GatewayApplication extends Application {}
