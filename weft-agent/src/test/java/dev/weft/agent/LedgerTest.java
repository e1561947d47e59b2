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
