/** Changing a function's replica count: by hand through the API now, by the autoscaler later. */
package dev.jakartafaas.scaling;
