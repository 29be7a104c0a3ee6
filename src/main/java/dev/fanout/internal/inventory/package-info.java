/**
 * Inventories for the command line: plain host lists, YAML inventories with groups and credential sets, and host
 * patterns ({@code web[01-50].dc1}) with their folding. Internal.
 */
package dev.fanout.internal.inventory;
