/**
 * One connection's SMTP state machine, free of sockets: {@link dev.bouncewatch.testmta.session.SmtpSession}
 * takes decoded input and returns {@link dev.bouncewatch.testmta.session.Answer}s, asking the scenario
 * at each {@link dev.bouncewatch.testmta.session.Stage}. Default enhanced status codes live in
 * {@code enhanced-codes.properties} beside this package.
 */
package dev.bouncewatch.testmta.session;
