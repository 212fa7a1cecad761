package dev.bouncewatch.agent.parse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplyTextTest {

    @Test
    void postfixJoinedGmailReplyReadsAsTheRemoteText() {
        String logged = "550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 "
                + "double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. Learn more at "
                + "550 5.1.1  https://support.google.com/mail/?p=NoSuchUser od20si504618ejb.621 - gsmtp";
        assertThat(ReplyText.unfoldPostfix(logged)).isEqualTo("550 5.1.1 The email account that you tried to reach does not exist. "
                + "Please try double-checking the recipient's email address for typos or unnecessary spaces. Learn more at "
                + "https://support.google.com/mail/?p=NoSuchUser od20si504618ejb.621 - gsmtp");
    }

    @Test
    void postfixJoinedReplyWithoutEnhancedCode() {
        String logged = "451-You have been greylisted. This is part of our standard anti-spam measures 451-and your mail "
                + "system should automatically try again later. We will accept 451 this mail from you in 42 seconds";
        assertThat(ReplyText.unfoldPostfix(logged)).isEqualTo("451 You have been greylisted. This is part of our standard "
                + "anti-spam measures and your mail system should automatically try again later. We will accept this mail from you in 42 seconds");
    }

    @Test
    void aSingleLineReplyIsLeftAloneEvenWhenItQuotesItsCode() {
        String logged = "550 5.1.1 <a@b>: user unknown, see 550 5.1.1 in our FAQ";
        assertThat(ReplyText.unfoldPostfix(logged)).isEqualTo(logged);
    }

    @Test
    void eximEscapedNewlinesAreJoined() {
        String logged = "440-Here's a whole long message, in several lines,\\n440-just for testing that nothing breaks when\\n440-we do this\\n440 Temporary error";
        assertThat(ReplyText.unfoldExim(logged)).isEqualTo("440 Here's a whole long message, in several lines, just for testing "
                + "that nothing breaks when we do this Temporary error");
        String gmail = "550-5.1.1 The email account that you tried to reach does not exist. Please try\\n550-5.1.1 double-checking it\\n550 5.1.1  https://x - gsmtp";
        assertThat(ReplyText.unfoldExim(gmail)).isEqualTo("550 5.1.1 The email account that you tried to reach does not exist. "
                + "Please try double-checking it https://x - gsmtp");
    }

    @Test
    void replyAndEnhancedCodes() {
        assertThat(ReplyText.code("250 2.0.0 Ok", 0)).isEqualTo(250);
        assertThat(ReplyText.code("550-5.7.1 x", 0)).isEqualTo(550);
        assertThat(ReplyText.code("250", 0)).isEqualTo(250);
        assertThat(ReplyText.code("2500 bytes", 0)).isEqualTo(-1);
        assertThat(ReplyText.code("650 x", 0)).isEqualTo(-1);
        assertThat(ReplyText.enhancedAfterCode("550 5.1.10 RESOLVER.ADR.RecipientNotFound")).isEqualTo("5.1.10");
        assertThat(ReplyText.enhancedAfterCode("452 4.7.25 x")).isEqualTo("4.7.25");
        assertThat(ReplyText.enhancedAfterCode("250 2.0.0: f6e94209 Message accepted")).isEqualTo("2.0.0");
        assertThat(ReplyText.enhancedAfterCode("552 1 Requested mail action aborted")).as("'1' is not an enhanced code").isNull();
        assertThat(ReplyText.enhancedAfterCode("250 6292145-1592637196662@smarthost")).isNull();
        assertThat(ReplyText.enhancedAfterCode("550 1.2.3.4 is listed")).isNull();
    }
}
