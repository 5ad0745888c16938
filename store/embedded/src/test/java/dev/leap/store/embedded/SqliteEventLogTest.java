package dev.leap.store.embedded;

import dev.leap.store.EventLog;
import dev.leap.store.contract.EventLogContract;
import java.nio.file.Path;

class SqliteEventLogTest extends EventLogContract {

    @Override
    protected EventLog open(Path directory) {
        return SqliteEventLog.openIn(directory);
    }
}
