package dev.weft.agent;

import static dev.weft.agent.ArgoStandIn.hello;
import static dev.weft.agent.ArgoStandIn.tasks;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.argo.NodeResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas sharing the work through Leases, on the fabric8 mock API server (stand-in): the work
 * is split, a replica killed mid-task has its task finished by the other within the failover bound,
 * a replica cut off from the API does not overwrite the other's final result, and a replica
 * stopping gracefully hands its task back at once.
 */
class ReplicasTest {
  static final Duration LEASE = Duration.ofSeconds(2);
  static final Duration RENEW = Duration.ofMillis(500);
  MockApiServer api;
  ArgoStandIn argo;
  Agent a;
  Agent b;

  @BeforeEach
  void start() {
    api = new MockApiServer();
    argo = new ArgoStandIn(api.client);
    argo.installCrd();
  }

  @AfterEach
  void stop() {
    if (a != null) a.kill();
    if (b != null) b.kill();
    api.close();
  }

  private Agent replica(String name, Duration lease, UnaryOperator<Tasks.Runner> wrap) {
    AgentConfig c =
        TestAgents.config(name)
            .withCoordination(AgentConfig.Coordination.leases("weft", "pool", lease, RENEW))
            .withTiming(
                Duration.ofMillis(5), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ZERO);
    return TestAgents.start(api.newClient(), c, wrap);
  }

  /** A runner that holds every task (but the probes) until released or interrupted. */
  static UnaryOperator<Tasks.Runner> heldUntil(CountDownLatch release) {
    return real ->
        task -> {
          if (!task.taskSet().namespace().equals("weft-probe")) release.await();
          return real.run(task);
        };
  }

  private static String uidOwnedBy(String replica) {
    while (true) {
      String uid = UUID.randomUUID().toString();
      if (Membership.owner(uid, List.of("a", "b")).equals(replica)) return uid;
    }
  }

  private void bothSeeBoth() throws InterruptedException {
    Await.until(
        "both replicas see both",
        Duration.ofSeconds(10),
        () -> a.members().size() == 2 && b.members().size() == 2);
    argo.awaitWatching("a", List.of("a", "b"));
    argo.awaitWatching("b", List.of("a", "b"));
    // the probes' results are written and counted before a test takes its counts
    Await.until(
        "the probes' results settled",
        Duration.ofSeconds(10),
        () -> a.pendingResults() == 0 && b.pendingResults() == 0);
  }

  @Test
  void theWorkIsSplitAndEachNodeGetsOneResult() throws Exception {
    a = replica("a", LEASE, UnaryOperator.identity());
    b = replica("b", LEASE, UnaryOperator.identity());
    bothSeeBoth();
    double a0 = a.metrics().count("Succeeded");
    double b0 = b.metrics().count("Succeeded");
    for (int i = 0; i < 12; i++)
      argo.createTaskSet("argo", "split-" + i, tasks("split-" + i + "-1", hello("n" + i)));
    for (int i = 0; i < 12; i++) argo.awaitFinal("argo", "split-" + i, "split-" + i + "-1");
    Await.until(
        "both counted all",
        Duration.ofSeconds(5),
        () -> a.metrics().count("Succeeded") - a0 + b.metrics().count("Succeeded") - b0 == 12);
    assertThat(a.metrics().count("Succeeded") - a0).isPositive();
    assertThat(b.metrics().count("Succeeded") - b0).isPositive();
    for (int i = 0; i < 12; i++)
      assertThat(api.statusPatches("split-" + i + "-1", "Succeeded")).isEqualTo(1);
  }

  @Test
  void aReplicaKilledMidTaskHasItsTaskFinishedByTheOtherWithinTheBound() throws Exception {
    a = replica("a", LEASE, heldUntil(new CountDownLatch(1)));
    b = replica("b", LEASE, UnaryOperator.identity());
    bothSeeBoth();
    double b0 = b.metrics().count("Succeeded");
    argo.createTaskSet(
        "argo", "killed", uidOwnedBy("a"), tasks("killed-1", hello("survivor")), Optional.empty());
    JsonNode running =
        argo.await(
            "argo",
            "killed",
            "killed-1",
            n -> n.path("phase").asText().equals("Running"),
            Duration.ofSeconds(10));
    assertThat(running.path("message").asText()).isEqualTo("running on weft agent a");

    long killedAt = System.nanoTime();
    a.kill();
    JsonNode done = argo.awaitFinal("argo", "killed", "killed-1");
    Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
    assertThat(done.path("phase").asText()).isEqualTo("Succeeded");
    assertThat(done.at("/outputs/parameters/0/value").asText()).isEqualTo("Hello, survivor!");
    Await.until(
        "b counted it", Duration.ofSeconds(5), () -> b.metrics().count("Succeeded") == b0 + 1);
    // the stated bound (lease + renewal interval), plus a rescan and the task itself
    assertThat(took)
        .isLessThan(
            new AgentConfig.Coordination(Optional.of("weft"), "pool", LEASE, RENEW)
                .failoverBound()
                .plusSeconds(3));
    assertThat(api.statusPatches("killed-1", "Succeeded")).isEqualTo(1);
  }

  @Test
  void aReplicaCutOffFromItsLeaseDoesNotOverwriteTheOthersFinalResult() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    a = replica("a", LEASE, heldUntil(release));
    b = replica("b", LEASE, UnaryOperator.identity());
    bothSeeBoth();
    double a0 = a.metrics().count("Succeeded");
    double b0 = b.metrics().count("Succeeded");
    argo.createTaskSet(
        "argo", "split-brain", uidOwnedBy("a"), tasks("sb-1", hello("one")), Optional.empty());
    argo.await(
        "argo",
        "split-brain",
        "sb-1",
        n -> n.path("message").asText().equals("running on weft agent a"),
        Duration.ofSeconds(10));

    a.stopRenewingLease(); // a keeps working but the others soon see it as gone
    JsonNode byB = argo.awaitFinal("argo", "split-brain", "sb-1");
    Await.until(
        "b counted it", Duration.ofSeconds(5), () -> b.metrics().count("Succeeded") == b0 + 1);
    release.countDown(); // a finishes its copy of the task late
    Await.until(
        "a's late result is dropped",
        Duration.ofSeconds(10),
        () -> a.metrics().droppedCount("finished") == 1);
    assertThat(a.metrics().count("Succeeded")).isEqualTo(a0);
    assertThat(api.statusPatches("sb-1", "Succeeded")).isEqualTo(1);
    assertThat(argo.node("argo", "split-brain", "sb-1")).isEqualTo(byB);
  }

  @Test
  void aReplicaStoppingGracefullyHandsItsTaskBackAtOnce() throws Exception {
    Duration longLease = Duration.ofSeconds(30);
    a = replica("a", longLease, heldUntil(new CountDownLatch(1)));
    b = replica("b", longLease, UnaryOperator.identity());
    bothSeeBoth();
    double b0 = b.metrics().count("Succeeded");
    argo.createTaskSet(
        "argo", "handback", uidOwnedBy("a"), tasks("hb-1", hello("back")), Optional.empty());
    argo.await(
        "argo",
        "handback",
        "hb-1",
        n -> n.path("phase").asText().equals("Running"),
        Duration.ofSeconds(10));
    long t0 = System.nanoTime();
    a.close(); // grace 500 ms: the held task does not finish, is interrupted and handed back;
    // the lease is deleted
    JsonNode done = argo.awaitFinal("argo", "handback", "hb-1");
    assertThat(done.path("phase").asText()).isEqualTo("Succeeded");
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .as("long before the 30s lease would expire")
        .isLessThan(Duration.ofSeconds(10));
    Await.until(
        "b counted it", Duration.ofSeconds(5), () -> b.metrics().count("Succeeded") == b0 + 1);
    a = null;
  }

  @Test
  void ownershipIsStableAndSpreadsOverReplicas() {
    int toA = 0;
    for (int i = 0; i < 1000; i++) {
      String uid = "wf-" + i;
      String owner = Membership.owner(uid, List.of("a", "b", "c"));
      assertThat(Membership.owner(uid, List.of("c", "b", "a"))).isEqualTo(owner);
      // removing a replica moves only its own workflows
      if (!owner.equals("c")) assertThat(Membership.owner(uid, List.of("a", "b"))).isEqualTo(owner);
      if (owner.equals("a")) toA++;
    }
    assertThat(toA).isBetween(250, 420);
    assertThat(NodeResult.running("x").phase().finished()).isFalse();
  }
}
