package dev.fanout.internal.inventory;

/**
 * The bastions an inventory gives hosts ({@code via}), as written: {@code [user@]host[:port]}, several separated by
 * commas (visited in that order), or {@code none} for directly. Read into hosts by the command line, which knows
 * the SSH config their names are looked up in.
 *
 * @param text the bastions, as written
 * @param where the file and key it was written at, for errors
 */
public record JumpSpec(String text, String where) {
}
