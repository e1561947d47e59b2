package dev.weft.plugin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.weft.runtime.WeftRuntime;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs tasks on a bounded worker pool and remembers them by key (workflow uid + SHA-256 of the
 * template), so a request the agent sends again attaches to the running task instead of starting it
 * twice, and a finished reply is returned again while it is kept.
 */
final class TaskTracker implements AutoCloseable {
  /** A task by key: its reply once done, and what it weighs in the bounded store. */
  static final class Entry {
    final CompletableFuture<ObjectNode> reply = new CompletableFuture<>();
    volatile int weight = 1024;
  }

  /** The queue is full; Argo retries a 503. */
  static final class QueueFullException extends RuntimeException {
    QueueFullException(String message) {
      super(message, null, false, false);
    }
  }

  private final ThreadPoolExecutor pool;
  private final Cache<String, Entry> tasks;
  private final int queueCapacity;
  private final Duration maxTaskTime;

  /**
   * When each busy worker took its task (System.nanoTime): a worker on one task far past its
   * timeout is wedged.
   */
  private final java.util.concurrent.ConcurrentHashMap<Thread, Long> busySince =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Past the task timeout, how long a task may take to notice its deadline and end. */
  static final Duration WEDGED_AFTER = Duration.ofSeconds(30);

  /**
   * @param keep how long finished replies are kept (running tasks are kept at least as long as
   *     their timeout)
   */
  TaskTracker(int workers, int queue, Duration keep, Duration maxTaskTime, long maxStoredBytes) {
    this.queueCapacity = queue;
    this.maxTaskTime = maxTaskTime;
    java.util.concurrent.ThreadFactory deepStacks = WeftRuntime.taskThreads("weft-task-");
    this.pool =
        new ThreadPoolExecutor(
            workers,
            workers,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(queue),
            r -> {
              Thread t = deepStacks.newThread(r);
              t.setDaemon(false); // a task in flight keeps the process until it is answered
              return t;
            });
    this.tasks =
        Caffeine.newBuilder()
            .expireAfterWrite(keep.plus(maxTaskTime))
            .maximumWeight(maxStoredBytes)
            .weigher((String k, Entry e) -> e.weight)
            // maintenance inline: on the default common pool, each put and re-weigh woke a pool
            // thread (1.8 wake-ups per request, docs/benchmarks.md §5.1)
            .executor(Runnable::run)
            .build();
  }

  /** The entry for this key: the existing one, or a new one whose work is queued now. */
  Entry submit(String key, Supplier<ObjectNode> work) {
    Entry mine = new Entry();
    Entry existing = tasks.asMap().putIfAbsent(key, mine);
    if (existing != null) return existing;
    try {
      pool.execute(
          () -> {
            ObjectNode reply;
            busySince.put(Thread.currentThread(), System.nanoTime());
            try {
              reply = work.get();
            } catch (RuntimeException | Error e) {
              mine.reply.completeExceptionally(e);
              return;
            } finally {
              busySince.remove(Thread.currentThread());
            }
            mine.weight = Math.max(1024, reply.toString().length());
            tasks.asMap().replace(key, mine, mine); // re-weigh now that the reply is known
            mine.reply.complete(reply);
          });
    } catch (RejectedExecutionException e) {
      tasks.asMap().remove(key, mine);
      throw new QueueFullException(
          "weft is busy: "
              + pool.getActiveCount()
              + " tasks running and "
              + queueCapacity
              + " queued (weft serve --queue); retry later");
    }
    return mine;
  }

  /** Forgets a delivered reply, so a later identical request runs the task again. */
  void forget(String key, Entry entry) {
    tasks.asMap().remove(key, entry);
  }

  /**
   * The workers that have been on one task longer than the task timeout plus {@link #WEDGED_AFTER},
   * described for /healthz; empty when none is. A deadline stops a task well within that, so such a
   * worker will not come back.
   */
  java.util.Optional<String> wedged(long nowNanos) {
    long limit = maxTaskTime.plus(WEDGED_AFTER).toNanos();
    java.util.List<String> stuck = new java.util.ArrayList<>();
    busySince.forEach(
        (t, since) -> {
          if (nowNanos - since > limit)
            stuck.add(t.getName() + " (" + (nowNanos - since) / 1_000_000_000L + "s)");
        });
    if (stuck.isEmpty()) return java.util.Optional.empty();
    return java.util.Optional.of(
        stuck.size()
            + " of "
            + pool.getMaximumPoolSize()
            + " workers wedged on one task past the task timeout of "
            + maxTaskTime.toSeconds()
            + "s plus "
            + WEDGED_AFTER.toSeconds()
            + "s: "
            + String.join(", ", stuck));
  }

  int queueDepth() {
    return pool.getQueue().size();
  }

  int running() {
    return pool.getActiveCount();
  }

  /** Stops taking tasks and waits for the queued and running ones to finish. */
  boolean drain(Duration wait) throws InterruptedException {
    pool.shutdown();
    return pool.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
