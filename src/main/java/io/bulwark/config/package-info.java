/** Immutable config records, the YAML loader and the validator that reports every problem with file:line:column. */
package io.bulwark.config;
