/** Clock, lifecycle and the event bus: the pieces every other package may lean on. */
package io.bulwark.core;
