/**
 * Clock, lifecycle, the event bus, the transport choice and the RFC 3986 path normal form: the pieces every
 * other package may lean on.
 */
package io.bulwark.core;
