/** The admin listener: health and readiness endpoints now; the JSON API and the live dashboard later. */
package io.bulwark.admin;
