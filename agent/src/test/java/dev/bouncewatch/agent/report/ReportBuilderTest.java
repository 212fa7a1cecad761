package dev.bouncewatch.agent.report;

import static dev.bouncewatch.agent.report.Entries.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.model.DeliveryStatus;
import dev.bouncewatch.agent.model.Mta;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportBuilderTest {

    private static final String GREYLISTED = "450 4.2.0 <a@example.org>: Recipient address rejected: Greylisted";

    @Test
    void aRecipientDeferredThreeTimesThenDeliveredCountsOnceAsDelivered() {
        ReportBuilder builder = new ReportBuilder();
        builder.add(Entries.deferred("Q1", "a@example.org", GREYLISTED, T0));
        builder.add(Entries.deferred("Q1", "a@example.org", GREYLISTED, T0.plusSeconds(300)));
        builder.add(Entries.deferred("Q1", "A@Example.org", GREYLISTED, T0.plusSeconds(900)));
        builder.add(Entries.delivered("Q1", "a@example.org", T0.plusSeconds(1800)));

        Report report = builder.build();

        assertThat(report.attempts()).containsEntry(DeliveryStatus.DEFERRED, 3L)
                .containsEntry(DeliveryStatus.DELIVERED, 1L);
        assertThat(report.recipients()).containsEntry(DeliveryStatus.DELIVERED, 1L)
                .containsEntry(DeliveryStatus.DEFERRED, 0L);
        assertThat(report.totalRecipients()).isEqualTo(1);
        assertThat(report.recipientsExact()).isTrue();
    }

    @Test
    void finalOutcomesAreCountedPerMessageAndRecipient() {
        ReportBuilder builder = new ReportBuilder();
        builder.add(Entries.deferred("Q1", "a@example.org", GREYLISTED, T0));
        builder.add(Entries.expired("Q1", "a@example.org", GREYLISTED, T0.plusSeconds(60)));
        builder.add(Entries.delivered("Q2", "a@example.org", T0));            // same address, another message
        builder.add(Entries.userUnknown("Q2", "b@example.org", T0));          // another recipient, same message
        builder.add(Entries.deferred("Q3", "c@example.org", GREYLISTED, T0)); // still queued at the end
        builder.add(Entries.deferred("Q3", "c@example.org", GREYLISTED, T0.plusSeconds(600)));

        Report report = builder.build();

        assertThat(report.recipients()).containsEntry(DeliveryStatus.EXPIRED, 1L)
                .containsEntry(DeliveryStatus.DELIVERED, 1L)
                .containsEntry(DeliveryStatus.BOUNCED, 1L)
                .containsEntry(DeliveryStatus.DEFERRED, 1L);
        assertThat(report.totalRecipients()).isEqualTo(4);
        assertThat(report.totalAttempts()).isEqualTo(6);
    }

    @Test
    void tooManyWaitingRecipientsAreForgottenAndTheReportSaysSo() {
        ReportBuilder builder = new ReportBuilder(ReportLimits.DEFAULTS.withCapacities(100, 100, 100, 2));
        builder.add(Entries.deferred("Q1", "a@example.org", GREYLISTED, T0));
        builder.add(Entries.deferred("Q2", "b@example.org", GREYLISTED, T0));
        builder.add(Entries.deferred("Q3", "c@example.org", GREYLISTED, T0)); // Q1 is forgotten, counted as deferred
        builder.add(Entries.delivered("Q3", "c@example.org", T0.plusSeconds(60)));

        Report report = builder.build();

        assertThat(report.recipientsExact()).isFalse();
        assertThat(report.recipients()).containsEntry(DeliveryStatus.DEFERRED, 2L)
                .containsEntry(DeliveryStatus.DELIVERED, 1L);
    }

    @Test
    void categoriesAndActionsCountWhatWasNotDeliveredAndTheHardBounces() {
        ReportBuilder builder = new ReportBuilder();
        builder.add(Entries.delivered("Q1", "a@example.org", T0));
        builder.add(Entries.userUnknown("Q2", "b@example.org", T0));
        builder.add(Entries.userUnknown("Q3", "c@example.org", T0));
        builder.add(Entries.deferred("Q4", "d@example.org", GREYLISTED, T0));

        Report report = builder.build();

        assertThat(report.categories()).extracting(Report.CountRow::key, Report.CountRow::count,
                Report.CountRow::hardBounces).containsExactly(tuple("userunknown", 2L, 2L), tuple("blocked", 1L, 0L));
        assertThat(report.actions()).extracting(Report.CountRow::key, Report.CountRow::count)
                .containsExactly(tuple("suppress", 2L), tuple("retry", 1L));
        assertThat(report.signals()).extracting(Report.CountRow::key, Report.CountRow::count)
                .containsExactly(tuple("greylisted", 1L));
    }

    @Test
    void domainsAreRankedByBounceRateAmongThoseWithEnoughVolume() {
        ReportBuilder builder = new ReportBuilder(ReportLimits.DEFAULTS.withMinVolume(4));
        int q = 0;
        for (int i = 0; i < 10; i++) {       // big.example: 10 % bounce rate
            builder.add(i == 0 ? Entries.userUnknown("Q" + q++, "u" + i + "@big.example", T0)
                    : Entries.delivered("Q" + q++, "u" + i + "@big.example", T0));
        }
        for (int i = 0; i < 4; i++) {        // bad.example: 50 %, and one deferral that does not count
            builder.add(i < 2 ? Entries.userUnknown("Q" + q++, "u" + i + "@bad.example", T0)
                    : Entries.delivered("Q" + q++, "u" + i + "@bad.example", T0));
        }
        builder.add(Entries.deferred("Q" + q++, "x@bad.example", GREYLISTED, T0));
        for (int i = 0; i < 3; i++) {        // tiny.example: 100 %, but only 3 outcomes
            builder.add(Entries.userUnknown("Q" + q++, "u" + i + "@tiny.example", T0));
        }

        Report report = builder.build();

        assertThat(report.domains()).extracting(Report.RateRow::key).containsExactly("bad.example", "big.example");
        Report.RateRow bad = report.domains().get(0);
        assertThat(bad.bounceRate()).isEqualTo(0.5);
        assertThat(bad.deferred()).isEqualTo(1);
        assertThat(report.hosts()).extracting(Report.RateRow::key).containsExactly("mx.example.org");
        assertThat(report.hosts().get(0).attempts()).isEqualTo(18);
    }

    @Test
    void remoteHostIsTheNameWithoutAddressAndPort() {
        assertThat(ReportBuilder.remoteHost(relay("MX.Example.org[192.0.2.25]:25", null))).isEqualTo("mx.example.org");
        assertThat(ReportBuilder.remoteHost(relay("mail.example.net:25", null))).isEqualTo("mail.example.net");
        assertThat(ReportBuilder.remoteHost(relay("none", "192.0.2.9"))).isEqualTo("192.0.2.9");
        assertThat(ReportBuilder.remoteHost(relay("[2001:db8::25]:25", "2001:db8::25"))).isEqualTo("2001:db8::25");
        assertThat(ReportBuilder.remoteHost(relay(null, null))).isNull();
    }

    private static DeliveryResult relay(String relay, String ip) {
        return new DeliveryResult(T0, "h", Mta.POSTFIX, "Q", null, null, "a@b", null, relay, ip,
                DeliveryStatus.DELIVERED, "sent", null, 250, "ok", null, null, 1);
    }

    @Test
    void reasonVariantsGroupTogetherAndKeepTheFirstFullExample() {
        ReportBuilder builder = new ReportBuilder();
        builder.add(Entries.userUnknown("Q1", "anna.1@example.org", T0));
        builder.add(Entries.userUnknown("Q2", "ben.22@web.de", T0));
        builder.add(Entries.userUnknown("Q3", "chris@gmail.com", T0));
        builder.add(Entries.bounced("Q4", "d@example.org", "552 5.2.2 <d@example.org>: Mailbox full", "mailboxfull",
                "retry", false, T0));

        Report report = builder.build();

        assertThat(report.reasons()).hasSize(2);
        Report.ReasonGroup top = report.reasons().get(0);
        assertThat(top.count()).isEqualTo(3);
        assertThat(top.bounced()).isEqualTo(3);
        assertThat(top.domains()).isEqualTo(3);
        assertThat(top.example()).isEqualTo("550 5.1.1 <anna.1@example.org>: Recipient address rejected: User unknown");
        assertThat(top.pattern()).isEqualTo("550 5.1.1 <addr>: Recipient address rejected: User unknown");
        assertThat(top.category()).isEqualTo("userunknown");
        assertThat(report.otherReasons()).isZero();
    }

    @Test
    void theSuppressListHoldsHardBouncesWhoseActionIsSuppress() {
        ReportBuilder builder = new ReportBuilder();
        builder.add(Entries.userUnknown("Q1", "Gone@Example.org", T0));
        builder.add(Entries.userUnknown("Q2", "gone@example.org", T0.plusSeconds(60)));
        builder.add(Entries.userUnknown("Q3", "other@example.org", T0));
        builder.add(Entries.bounced("Q4", "blocked@example.org", "550 5.7.1 blocked using Spamhaus", "blocked",
                "check-blocklist", false, T0));
        builder.add(Entries.bounced("Q5", "full@example.org", "552 5.2.2 Mailbox full", "mailboxfull", "retry",
                false, T0));

        Report report = builder.build();

        assertThat(report.suppress()).extracting(Report.SuppressedAddress::address, Report.SuppressedAddress::bounces)
                .containsExactly(tuple("gone@example.org", 2L), tuple("other@example.org", 1L));
        assertThat(report.suppress().get(0).lastSeen()).isEqualTo(T0.plusSeconds(60));
        assertThat(report.suppressOmitted()).isZero();
    }

    @Test
    void theSuppressListIsBoundedAndCountsWhatItLeftOut() {
        ReportBuilder builder = new ReportBuilder(ReportLimits.DEFAULTS.withCapacities(100, 100, 3, 100));
        for (int i = 0; i < 10; i++) {
            builder.add(Entries.userUnknown("Q" + i, "u" + i + "@example.org", T0));
        }
        builder.add(Entries.userUnknown("Q99", "u0@example.org", T0)); // a kept address still counts up

        Report report = builder.build();

        assertThat(report.suppress()).hasSize(3);
        assertThat(report.suppress().get(0)).extracting(Report.SuppressedAddress::address,
                Report.SuppressedAddress::bounces).containsExactly("u0@example.org", 2L);
        assertThat(report.suppressOmitted()).isEqualTo(7);
    }

    @Test
    void aShortLogIsBucketedPerHourWithTheGapsFilled() {
        ReportBuilder builder = new ReportBuilder();
        builder.add(Entries.userUnknown("Q1", "a@example.org", T0.plusSeconds(10)));
        builder.add(Entries.deferred("Q2", "b@example.org", GREYLISTED, T0.plusSeconds(20)));
        builder.add(Entries.delivered("Q3", "c@example.org", T0.plus(Duration.ofHours(3))));
        builder.add(Entries.delivered("Q4", "d@example.org", null));

        Report.Timeline timeline = builder.build().timeline();

        assertThat(timeline.bucketSeconds()).isEqualTo(3600);
        assertThat(timeline.buckets()).extracting(Report.Bucket::start)
                .containsExactly(T0, T0.plusSeconds(3600), T0.plusSeconds(7200), T0.plusSeconds(10800));
        assertThat(timeline.buckets().get(0)).extracting(Report.Bucket::bounced, Report.Bucket::deferred)
                .containsExactly(1L, 1L);
        assertThat(timeline.buckets().get(3).delivered()).isEqualTo(1);
        assertThat(timeline.undated()).isEqualTo(1);
    }

    @Test
    void aLongLogIsBucketedPerDay() {
        ReportBuilder builder = new ReportBuilder();
        for (int day = 0; day < 10; day++) {
            builder.add(Entries.userUnknown("Q" + day, "u@example.org", T0.plus(Duration.ofDays(day))));
            builder.add(Entries.userUnknown("R" + day, "u@example.org", T0.plus(Duration.ofDays(day)).plusSeconds(7200)));
        }

        Report.Timeline timeline = builder.build().timeline();

        assertThat(timeline.bucketSeconds()).isEqualTo(86_400);
        assertThat(timeline.buckets()).hasSize(10).allSatisfy(b -> assertThat(b.bounced()).isEqualTo(2));
    }

    @Test
    void timestampsSpreadOverDecadesStayBoundedAndAreCounted() {
        ReportBuilder builder = new ReportBuilder();
        for (int i = 0; i < 20_000; i++) { // one result every 2 days: 110 years, garbage but must not explode
            builder.add(Entries.delivered("Q" + i, "u@example.org", T0.plus(Duration.ofDays(2L * i))));
        }

        Report report = builder.build();

        long dated = report.timeline().buckets().stream().mapToLong(Report.Bucket::delivered).sum();
        assertThat(report.timeline().buckets().stream().filter(b -> b.delivered() > 0).count()).isLessThanOrEqualTo(10_000);
        assertThat(dated + report.timeline().undated()).isEqualTo(20_000);
    }

    @Test
    void aHugeReasonIsCutAndSaysSo() {
        ReportBuilder builder = new ReportBuilder();
        builder.add(Entries.bounced("Q1", "a@example.org", "550 " + "x".repeat(100_000), "undefined", "investigate",
                false, T0));

        Report.ReasonGroup group = builder.build().reasons().get(0);

        assertThat(group.example()).hasSizeLessThan(4_100).endsWith("[cut at 4000 characters]");
    }

    @Test
    void topKeysStayBoundedUnderAMillionDistinctDomainsAndReasonsWhileTotalsStayExact() {
        ReportBuilder builder = new ReportBuilder(ReportLimits.DEFAULTS.withCapacities(50, 50, 50, 50).withShown(5)
                .withMinVolume(1));
        int heavy = 0;
        for (int i = 0; i < 1_000_000; i++) {
            if (i % 100 == 0) {
                builder.add(Entries.userUnknown("H" + i, "u" + i + "@heavy.example", T0));
                heavy++;
            } else {
                // a distinct domain and a distinct reason every time (letters only, so no mask merges them)
                String word = letters(i);
                builder.add(Entries.bounced("Q" + i, "u@" + word + ".example", "550 no such user " + word,
                        "userunknown", "investigate", false, T0));
            }
        }

        Report report = builder.build();

        assertThat(report.attempts()).containsEntry(DeliveryStatus.BOUNCED, 1_000_000L);
        assertThat(report.reasons().get(0).count()).isEqualTo(heavy);
        assertThat(report.reasons().get(0).pattern()).contains("<addr>");
        assertThat(report.reasons().stream().mapToLong(Report.ReasonGroup::count).sum() + report.otherReasons())
                .isEqualTo(1_000_000L);
        assertThat(report.domains()).extracting(Report.RateRow::key).contains("heavy.example");
        assertThat(report.domains().stream().filter(d -> d.key().equals("heavy.example")).findFirst().orElseThrow()
                .bounced()).isEqualTo(heavy);
        assertThat(report.categories()).extracting(Report.CountRow::count).containsExactly(1_000_000L);
    }

    private static String letters(int n) {
        StringBuilder s = new StringBuilder();
        do {
            s.append((char) ('a' + n % 26));
            n /= 26;
        } while (n > 0);
        return s.toString();
    }

    @Test
    void garbageKeysAreCutAndGarbageAddressesAreNotSuppressed() {
        ReportBuilder builder = new ReportBuilder(ReportLimits.DEFAULTS.withMinVolume(1));
        String huge = "x".repeat(100_000);
        builder.add(Entries.userUnknown("Q1", "u@" + huge, T0));

        Report report = builder.build();

        assertThat(report.domains().get(0).key()).hasSize(ReportBuilder.MAX_KEY_CHARS + 1).endsWith("\u2026");
        assertThat(report.suppress()).isEmpty();
        assertThat(report.attempts()).containsEntry(DeliveryStatus.BOUNCED, 1L);
    }

    @Test
    void nullClassifierFieldsGetNeutralDefaults() {
        ReportEntry entry = new ReportEntry(Entries.result("Q1", "a@b", DeliveryStatus.BOUNCED, null, null, null),
                null, null, null, false, null, null);
        ReportBuilder builder = new ReportBuilder();
        builder.add(entry);

        Report report = builder.build();

        assertThat(report.categories()).extracting(Report.CountRow::key).containsExactly("undefined");
        assertThat(report.reasons().get(0).example()).isEqualTo(ReportBuilder.NO_TEXT);
        assertThat(report.hosts()).isEmpty();
        assertThat(report.firstSeen()).isNull();
        assertThat(List.of(report.timeline().undated())).containsExactly(1L);
    }
}
