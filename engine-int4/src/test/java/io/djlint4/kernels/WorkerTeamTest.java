package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkerTeamTest {

    @ParameterizedTest
    @CsvSource({"1, 100, 1", "2, 1, 1", "2, 7, 1", "3, 1000, 16", "4, 5, 2", "2, 100000, 1"})
    void everyIndexRunsExactlyOnceOverManyLoops(int threads, int n, int grain) {
        WorkerTeam team = new WorkerTeam(threads);
        try {
            AtomicIntegerArray hits = new AtomicIntegerArray(n);
            for (int round = 0; round < 200; round++) {
                team.run(n, grain, counting(hits));
            }
            assertAllCounted(hits, 200);
        } finally {
            team.shutdown();
        }
    }

    @Test
    void workersShareTheLoopWithTheCaller() {
        WorkerTeam team = new WorkerTeam(2);
        try {
            Set<Thread> seen = ConcurrentHashMap.newKeySet();
            for (int round = 0; round < 1000 && seen.size() < 2; round++) {
                team.run(64, 1, (from, to) -> {
                    seen.add(Thread.currentThread());
                    busyWait(20_000);
                });
            }
            assertEquals(2, seen.size());
            assertTrue(seen.contains(Thread.currentThread()));
        } finally {
            team.shutdown();
        }
    }

    @Test
    void aLoopStartedInsideALoopRunsInlineOnItsThread() {
        WorkerTeam team = new WorkerTeam(2);
        try {
            AtomicIntegerArray hits = new AtomicIntegerArray(16 * 16);
            team.run(16, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    int row = i;
                    Thread outer = Thread.currentThread();
                    team.run(16, 1, (f, t) -> {
                        assertSame(outer, Thread.currentThread());
                        for (int j = f; j < t; j++) {
                            hits.incrementAndGet(row * 16 + j);
                        }
                    });
                }
            });
            assertAllCounted(hits, 1);
        } finally {
            team.shutdown();
        }
    }

    @Test
    void concurrentCallersEachGetTheirWholeLoop() throws InterruptedException {
        WorkerTeam team = new WorkerTeam(2);
        try {
            int n = 5000;
            List<Thread> callers = new ArrayList<>();
            List<AtomicIntegerArray> results = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                results.add(hits);
                callers.add(new Thread(() -> {
                    for (int round = 0; round < 50; round++) {
                        team.run(n, 8, counting(hits));
                    }
                }));
            }
            callers.forEach(Thread::start);
            for (Thread t : callers) {
                t.join();
            }
            for (AtomicIntegerArray hits : results) {
                assertAllCounted(hits, 50);
            }
        } finally {
            team.shutdown();
        }
    }

    @Test
    void aFailingChunkFailsTheCallAndTheTeamStaysUsable() {
        WorkerTeam team = new WorkerTeam(2);
        try {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> team.run(100, 1, (from, to) -> {
                        if (from <= 50 && 50 < to) {
                            throw new IllegalArgumentException("bad index 50");
                        }
                    }));
            assertEquals("bad index 50", e.getMessage());
            AtomicIntegerArray hits = new AtomicIntegerArray(100);
            team.run(100, 1, counting(hits));
            assertAllCounted(hits, 1);
        } finally {
            team.shutdown();
        }
    }

    @Test
    void parkedWorkersWakeForTheNextLoop() throws InterruptedException {
        WorkerTeam team = new WorkerTeam(2);
        try {
            for (int round = 0; round < 3; round++) {
                // Longer than the spin phase, so the worker has parked.
                Thread.sleep(5);
                AtomicIntegerArray hits = new AtomicIntegerArray(64);
                team.run(64, 1, counting(hits));
                assertAllCounted(hits, 1);
            }
        } finally {
            team.shutdown();
        }
    }

    @Test
    void rejectsAnEmptyTeam() {
        assertThrows(IllegalArgumentException.class, () -> new WorkerTeam(0));
    }

    private static KernelThreads.RangeTask counting(AtomicIntegerArray hits) {
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                hits.incrementAndGet(i);
            }
        };
    }

    private static void assertAllCounted(AtomicIntegerArray hits, int times) {
        for (int i = 0; i < hits.length(); i++) {
            assertEquals(times, hits.get(i), "index " + i);
        }
    }

    private static void busyWait(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
