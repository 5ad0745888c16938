package dev.leap.store.kurrentdb.loopback;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.kurrent.dbclient.proto.serverfeatures.ServerFeaturesGrpc;
import io.kurrent.dbclient.proto.serverfeatures.Serverfeatures;
import io.kurrent.dbclient.proto.shared.Shared;
import io.kurrent.dbclient.proto.streams.StreamsGrpc;
import io.kurrent.dbclient.proto.streams.StreamsOuterClass;
import io.kurrentdb.protocol.v2.streams.AppendRequest;
import io.kurrentdb.protocol.v2.streams.AppendSessionResponse;
import io.kurrentdb.protocol.v2.streams.StreamsServiceGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for a single insecure KurrentDB node, on 127.0.0.1 and an ephemeral port, for tests
 * where no KurrentDB server can run. It speaks KurrentDB's own gRPC protocol, so the official client
 * runs unchanged over the real wire, and it keeps KurrentDB's semantics for what it implements:
 * reads of streams and {@code $all} (forwards, backwards, limits, positions that must be record
 * boundaries), v1 appends, v2 atomic multi-stream append sessions, expected versions, idempotent
 * event ids, and the errors the client maps to its exceptions. Its log lives in memory, for as long
 * as the server runs, and starts with a few system events as a real one does.
 *
 * <p>Not implemented: subscriptions, filtered reads, deletes, persistent subscriptions,
 * projections, users and TLS. Calls to them fail with {@code UNIMPLEMENTED}.
 */
public final class LoopbackKurrentDB implements AutoCloseable {

    /** The KurrentDB release whose behaviour the loopback follows. */
    public static final String VERSION = "26.1.1";

    private final Server server;
    private final Log log;
    private final Faults faults;

    private LoopbackKurrentDB(Server server, Log log, Faults faults) {
        this.server = server;
        this.log = log;
        this.faults = faults;
    }

    /** Starts a node of {@value #VERSION} with an empty log (apart from KurrentDB's own system events). */
    public static LoopbackKurrentDB start() {
        return start(VERSION);
    }

    /**
     * Starts a node that says it is {@code version} (major.minor.patch). Like those releases, a node
     * older than 25.1 offers no v2 multi-stream appends.
     */
    public static LoopbackKurrentDB start(String version) {
        Log log = new Log(Clock.systemUTC());
        Writer writer = new Writer(log);
        writeSystemEvents(writer);
        ReadService reads = new ReadService(log);
        AppendService appends = new AppendService(writer);
        Faults faults = new Faults();
        AppendSessionService sessions = new AppendSessionService(writer, faults);
        BindableService streams = new StreamsGrpc.StreamsImplBase() {
            @Override
            public void read(StreamsOuterClass.ReadReq request, StreamObserver<StreamsOuterClass.ReadResp> responses) {
                reads.read(request, responses);
            }

            @Override
            public StreamObserver<StreamsOuterClass.AppendReq> append(StreamObserver<StreamsOuterClass.AppendResp> responses) {
                return appends.append(responses);
            }
        };
        BindableService streamsV2 = new StreamsServiceGrpc.StreamsServiceImplBase() {
            @Override
            public StreamObserver<AppendRequest> appendSession(StreamObserver<AppendSessionResponse> responses) {
                return sessions.appendSession(responses);
            }
        };
        List<ServerServiceDefinition> services = appendsAtomically(version)
                ? List.of(streams.bindService(), streamsV2.bindService())
                : List.of(streams.bindService());
        BindableService features = new ServerFeaturesGrpc.ServerFeaturesImplBase() {
            @Override
            public void getSupportedMethods(Shared.Empty request, StreamObserver<Serverfeatures.SupportedMethods> responses) {
                responses.onNext(supportedMethods(version, services));
                responses.onCompleted();
            }
        };
        NettyServerBuilder builder = NettyServerBuilder
                .forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                // KurrentDB accepts appends up to its maximum append size (256 MiB by default).
                .maxInboundMessageSize(256 * 1024 * 1024)
                .addService(features);
        services.forEach(builder::addService);
        try {
            return new LoopbackKurrentDB(builder.build().start(), log, faults);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the loopback KurrentDB on 127.0.0.1", e);
        }
    }

    /** How to connect the official client to this node. */
    public String connectionString() {
        return "kurrentdb://127.0.0.1:" + port() + "?tls=false";
    }

    public int port() {
        return server.getPort();
    }

    /** Where the next record will be written, as a byte offset into the log. */
    public long endOfLog() {
        return log.end();
    }

    /**
     * Makes the next multi-stream append land but answer {@code UNAVAILABLE}, as when the connection
     * drops after the commit: the client cannot know whether its write happened.
     */
    public void loseReplyToNextAppend() {
        faults.loseNextAppendReply();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The methods the node serves, named as KurrentDB names them: lower case, with the features it
     * lists for reads. The client enables multi-stream appends when it finds {@code appendsession}.
     */
    private static Serverfeatures.SupportedMethods supportedMethods(String version,
            List<ServerServiceDefinition> services) {
        Serverfeatures.SupportedMethods.Builder methods = Serverfeatures.SupportedMethods.newBuilder()
                .setEventStoreServerVersion(version);
        for (ServerServiceDefinition service : services) {
            String serviceName = service.getServiceDescriptor().getName();
            for (MethodDescriptor<?, ?> method : service.getServiceDescriptor().getMethods()) {
                Serverfeatures.SupportedMethod.Builder supported = Serverfeatures.SupportedMethod.newBuilder()
                        .setMethodName(method.getBareMethodName().toLowerCase(Locale.ROOT))
                        .setServiceName(serviceName.toLowerCase(Locale.ROOT));
                if (serviceName.contains("Streams") && method.getBareMethodName().contains("Read")) {
                    supported.addFeatures("position").addFeatures("events");
                }
                methods.addMethods(supported);
            }
        }
        return methods.build();
    }

    private static boolean appendsAtomically(String version) {
        String[] parts = version.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("a KurrentDB version is major.minor.patch, not '" + version + "'");
        }
        int major = Integer.parseInt(parts[0]);
        int minor = Integer.parseInt(parts[1]);
        return major > 25 || (major == 25 && minor >= 1);
    }

    /** A new KurrentDB node records its epoch and its settings before any client writes. */
    private static void writeSystemEvents(Writer writer) {
        writer.write(List.of(new StreamWrite("$epoch-information", StreamWrite.ANY, List.of(systemEvent(
                "$epoch-information", "{\"epochNumber\":0,\"epochPosition\":0}")))));
        writer.write(List.of(new StreamWrite("$settings", StreamWrite.ANY, List.of(systemEvent(
                "$update-default-acl", "{\"$userStreamAcl\":{\"$r\":\"$all\"}}")))));
    }

    private static ProposedEvent systemEvent(String type, String json) {
        return new ProposedEvent(UUID.randomUUID(), type, true, json.getBytes(StandardCharsets.UTF_8), new byte[0], false);
    }
}
