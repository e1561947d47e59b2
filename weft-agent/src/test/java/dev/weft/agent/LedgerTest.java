package dev.weft.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LedgerTest {
  private final Ledger ledger = new Ledger();
  private final TaskSet.Ref ref = new TaskSet.Ref("argo", "wf");

  @Test
  void aNodeIsClaimedOnceUntilReleased() {
    Ledger.Entry first = ledger.claim("uid", "n1", ref, 1);
    assertThat(first).isNotNull();
    assertThat(ledger.claim("uid", "n1", ref, 2)).isNull();
    ledger.release(first);
    assertThat(ledger.claim("uid", "n1", ref, 3)).isNotNull();
  }

  /**
   * What a relist checks: each workflow's TaskSet, and since when its queued or running nodes were
   * known (the earliest, on the nanoTime scale, even across its sign); nothing for done-only ones.
   */
  @Test
  void workflowsNameTheirTaskSetAndTheEarliestActiveNode() {
    TaskSet.Ref other = new TaskSet.Ref("argo", "done-only");
    ledger.claim("uid", "n1", ref, -5);
    ledger.claim("uid", "n2", ref, 7);
    ledger.finishedElsewhere("uid", "n0", ref);
    ledger.finishedElsewhere("uid2", "m1", other);

    var known = ledger.workflows();
    assertThat(known).containsOnlyKeys("uid", "uid2");
    assertThat(known.get("uid").taskSet()).isEqualTo(ref);
    assertThat(known.get("uid").activeSinceNanos()).hasValue(-5);
    assertThat(known.get("uid2").taskSet()).isEqualTo(other);
    assertThat(known.get("uid2").activeSinceNanos()).isEmpty();
  }

  /**
   * A repeated cancel reaches the worker while it runs the task, and never the task it takes up
   * next.
   */
  @Test
  void interruptingTheWorkerReachesItOnlyWhileItRunsTheTask() throws Exception {
    Ledger.Entry e = ledger.claim("uid", "n1", ref, 1);
    CountDownLatch bound = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    Thread worker =
        new Thread(
            () -> {
              e.bind(Thread.currentThread());
              bound.countDown();
              try {
                new CountDownLatch(1).await(30, TimeUnit.SECONDS);
              } catch (InterruptedException ie) {
                interrupted.countDown();
              } finally {
                e.unbind();
              }
            });
    worker.start();
    assertThat(bound.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(e.interruptWorker()).isTrue();
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    worker.join(10_000);
    assertThat(e.interruptWorker()).as("the worker let go of the task").isFalse();
  }
}
