package io.djlint4.spark;

import io.djlint4.kernels.KernelThreads;
import org.apache.spark.TaskContext;

/**
 * Sizes the engine's kernel threads to the cores Spark gives each task ({@code spark.task.cpus},
 * default 1), the one setting that keeps an executor from oversubscribing its cores: an executor
 * runs {@code spark.executor.cores / spark.task.cpus} tasks at once, and the kernels of the one
 * JVM-wide team run on at most {@code spark.task.cpus} threads while the other tasks' kernels run
 * on their own task threads.
 */
final class TaskThreads {

    private TaskThreads() {}

    /** Applies the current task's cores to the kernel threads; outside a task does nothing. */
    static void fitToTask() {
        TaskContext task = TaskContext.get();
        if (task != null) {
            KernelThreads.setThreads(Math.min(task.cpus(), KernelThreads.maxThreads()));
        }
    }
}
