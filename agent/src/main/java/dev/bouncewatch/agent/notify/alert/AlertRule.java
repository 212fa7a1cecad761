package dev.bouncewatch.agent.notify.alert;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/** Finds the alerts that hold right now. Rules are long-lived: they may cache slow inputs (baselines). */
interface AlertRule {

    /** The rule ids this rule reports under (a few rules report several, e.g. the health checks). */
    Set<String> ids();

    List<Alert> evaluate(ResultWindows windows) throws SQLException;
}
