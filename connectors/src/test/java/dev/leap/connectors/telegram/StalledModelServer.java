package dev.leap.connectors.telegram;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A model server that takes every chat-completions request and never answers it, so that a test
 * knows the agent is in the middle of a turn — its message recorded, its reply not yet made — for
 * as long as it likes.
 */
final class StalledModelServer implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch closed = new CountDownLatch(1);
    private int requests;

    StalledModelServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/v1/chat/completions", this::stall);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    synchronized int requests() {
        return requests;
    }

    synchronized void awaitRequest() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (requests == 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the model was not asked within " + WAIT.toSeconds() + "s");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    private void stall(HttpExchange exchange) {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            synchronized (this) {
                requests++;
                notifyAll();
            }
            closed.await();
        } catch (IOException | InterruptedException e) {
            // The caller is gone, or the server is closing: there is nobody to answer.
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }
}
