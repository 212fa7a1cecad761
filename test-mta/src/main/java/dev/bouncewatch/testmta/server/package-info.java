/**
 * The Netty side: {@link dev.bouncewatch.testmta.server.SinkServer} binds and builds one pipeline per
 * connection (idle timer, encoder, decoder, session handler; {@code SslHandler} goes first after
 * STARTTLS), enforces connection limits, writes captured messages and reports every reply to a
 * {@link dev.bouncewatch.testmta.server.TransactionListener}.
 */
package dev.bouncewatch.testmta.server;
