/**
 * The agent over HTTP: the JSON API, Prometheus metrics, health, and the built-in dashboard.
 * <p>
 * {@link dev.bouncewatch.agent.http.HttpApi} owns the JDK server, routing, the bearer token and the
 * browser guards (Host and Origin checks); each endpoint is a small class that reads its
 * {@link dev.bouncewatch.agent.http.QueryParams}, asks the store's
 * {@link dev.bouncewatch.agent.store.StoreReader} and writes {@link dev.bouncewatch.agent.http.ApiJson}:
 * {@code HealthEndpoint} (from {@link dev.bouncewatch.agent.http.AgentStatus}), {@code ResultsEndpoint},
 * {@code StatsEndpoint}, {@code SuppressionsEndpoint} (writes go through the
 * {@link dev.bouncewatch.agent.http.SuppressionEditor} the agent wires to the suppression list) and
 * {@code DashboardAssets}. {@link dev.bouncewatch.agent.http.AgentMetrics} counts what the pipeline
 * commits and renders the scrape; {@link dev.bouncewatch.agent.http.DomainGroups} keeps its
 * domain label bounded.
 * <p>
 * Data lives in resources: {@code domain-groups.tsv} next to this package, and the dashboard's page,
 * script and style in {@code /http/dashboard/}. Request and response helpers and the Prometheus text
 * writer are test-mta's ({@code dev.bouncewatch.testmta.http.Exchanges}, {@code ApiException},
 * {@code dev.bouncewatch.testmta.events.PrometheusText}).
 */
package dev.bouncewatch.agent.http;
