/** Wires a running gateway from a {@link io.bulwark.config.Config}; nothing imports this package but the CLI. */
package io.bulwark.app;
