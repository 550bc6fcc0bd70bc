/** The {@code bulwark} command line: run, validate, demo. */
package io.bulwark.cli;
