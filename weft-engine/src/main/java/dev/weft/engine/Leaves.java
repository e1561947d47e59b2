package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.weft.engine.Model.Template;
import dev.weft.runtime.Limits;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Leaf templates, on the control thread: a wasm (or container) step is rendered, held to the
 * workflow's {@code parallelism}, then handed to a worker ({@link LeafRunner}); a suspend waits.
 */
final class Leaves {
  private final Execution run;
  private final LeafRunner runner;
  private final Executor workers;
  private final Limiter podLimiter; // null: no limit

  Leaves(Execution run, LeafRunner runner, Executor workers) {
    this.run = run;
    this.runner = runner;
    this.workers = workers;
    this.podLimiter = run.wf.parallelism().map(n -> new Limiter(n, run.ctl)).orElse(null);
  }

  CompletableFuture<Void> leaf(Node node, Template t, Inputs in, int retries) {
    Map<String, String> vars = run.globals.local(in, node, retries);
    JsonNode body = t.wasm().map(w -> Exprs.renderJson(w, vars)).orElse(NullNode.getInstance());
    Optional<Duration> own = Deadlines.of(t, vars);
    return Limiter.run(
        podLimiter,
        () -> {
          // the deadline may have passed while the step waited for a slot
          if (run.deadlines.passed()) {
            node.finish(NodePhase.Failed, Deadlines.MESSAGE);
            return CompletableFuture.completedFuture(null);
          }
          Optional<Duration> limit = run.deadlines.capped(own);
          node.running();
          return CompletableFuture.supplyAsync(
                  () -> runner.run(run, node, t, body, in, limit), workers)
              .thenAcceptAsync(
                  r -> {
                    node.outputs(r.outputs());
                    run.globals.export(t, r.outputs());
                    node.finish(r.phase(), r.message());
                  },
                  run.ctl);
        });
  }

  CompletableFuture<Void> suspend(Node node, Template t, Inputs in) {
    Map<String, String> vars = run.globals.local(in, node, 0);
    Duration d =
        Limits.parseDuration(
            "suspend.duration", Exprs.render(t.suspendDuration().get(), vars, true));
    Deadlines.Wait wait = run.deadlines.suspend(d);
    node.running();
    return CompletableFuture.runAsync(
        () -> {
          if (wait.cut()) node.finish(NodePhase.Failed, Deadlines.MESSAGE);
          else node.finish(NodePhase.Succeeded, "");
        },
        CompletableFuture.delayedExecutor(
            wait.duration().toNanos(), TimeUnit.NANOSECONDS, run.ctl));
  }
}
