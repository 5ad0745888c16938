package dev.leap.store.kurrentdb;

import dev.leap.store.EventLog;
import dev.leap.store.contract.EventLogContract;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

class KurrentEventLogTest extends EventLogContract {

    @RegisterExtension
    static final KurrentDBUnderTest kurrentdb = new KurrentDBUnderTest();

    @Override
    protected EventLog open(Path directory) {
        return kurrentdb.open();
    }
}
