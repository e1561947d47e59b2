package dev.weft.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** A workflow being run: its name, a live view of its nodes, and its end. */
public final class WorkflowRun {
  private final Execution e;

  WorkflowRun(Execution e) {
    this.e = e;
  }

  public String name() {
    return e.name;
  }

  /** The nodes so far, in the order they were created. */
  public List<Node> nodes() {
    return e.nodes.snapshot();
  }

  public CompletableFuture<WorkflowStatus> done() {
    return e.done;
  }

  public WorkflowStatus await() {
    try {
      return e.done.get();
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for workflow " + e.name, x);
    } catch (ExecutionException x) {
      throw new IllegalStateException(
          "workflow " + e.name + " failed inside weft: " + x.getCause(), x.getCause());
    }
  }
}
