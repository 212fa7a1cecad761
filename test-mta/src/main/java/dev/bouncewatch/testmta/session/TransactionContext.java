package dev.bouncewatch.testmta.session;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * What a scenario rule may look at when it decides a reply: a read-only view of one session at one
 * stage. Values not known yet at that stage are null (or empty).
 */
public interface TransactionContext {

    Stage stage();

    /** Unique per connection, also used in transaction events. */
    String sessionId();

    InetAddress clientAddress();

    /** The EHLO/HELO argument, null before it. At stage HELO, the name being offered. */
    String helo();

    boolean tls();

    /** The authenticated user; at stage AUTH, the user trying to log in; else null. */
    String authUser();

    /** The reverse path without brackets; "" for the null sender; null before MAIL. At MAIL, the one offered. */
    String mailFrom();

    /** At stage RCPT, the recipient being decided (without brackets); else null. */
    String rcpt();

    /** Recipients accepted so far in this transaction. */
    List<String> recipients();

    /** At DATA_END: the message's header fields, names in lower case, values unfolded. Else empty. */
    Map<String, List<String>> headers();

    /** At DATA_END: message size in octets after dot-unstuffing. Else 0. */
    long messageSize();

    /** How many transactions (MAIL commands accepted) this session has had before this one. */
    int transactionIndex();
}
