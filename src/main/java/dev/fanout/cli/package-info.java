/**
 * The {@code fanout} command line (picocli): {@code run}, {@code copy}, {@code fetch}, {@code fleet}, {@code demo},
 * {@code bench} and {@code gate}. An application over the API, not an API itself: nothing here is exported.
 */
package dev.fanout.cli;
