/**
 * What both drivers share beyond the SPI: bounded output, cause classification, SFTP stream wrapping, answers to
 * keyboard-interactive prompts, host-key algorithm order, name lookup within the connect timeout, key-decoding
 * messages and the driver lookup by name. Internal.
 */
package dev.fanout.internal.driver;
