package dev.kiln.dsl;

import dev.kiln.dsl.Values.BoundMethod;
import dev.kiln.dsl.Values.Operation;
import dev.kiln.ir.Node;

/**
 * The methods of sessions and savers, and the ones tensors and operations have for the default session:
 * {@code sess.run(fetches, feed_dict=)}, {@code sess.close()}, {@code sess.as_default()},
 * {@code saver.save(sess, path)}, {@code saver.restore(sess, path)}, {@code t.eval(feed_dict=, session=)},
 * {@code op.run(feed_dict=, session=)}, {@code t.get_shape()}.
 */
final class SessionCalls {
    private SessionCalls() {}

    static Object call(Evaluator ip, BoundMethod m, Params p) {
        ProgramState ps = ip.program();
        Object self = m.self();
        if (self instanceof Sessions.SessionValue s) {
            return switch (m.name()) {
                case "run" -> {
                    p.bind(1, "fetches", "feed_dict", "options", "run_metadata");
                    yield Sessions.run(ps, s, p.get("fetches"), p.get("feed_dict"), p.at(), ip.src());
                }
                case "close" -> {
                    p.bind(0);
                    Sessions.close(ps, s);
                    yield Values.NONE;
                }
                default -> {
                    p.bind(0);
                    yield new Sessions.DefaultSession(s);
                }
            };
        }
        if (self instanceof Sessions.SaverValue saver) {
            p.bind(2, "sess", "save_path", "global_step");
            if (!(p.get("sess") instanceof Sessions.SessionValue s)) {
                throw p.error("sess", m.shown() + "(): 'sess' must be a session, got " + Values.aType(p.get("sess")));
            }
            String path = p.string("save_path");
            if (m.name().equals("save")) {
                if (p.given("global_step")) {
                    path = path + "-" + ProgramValues.str(p.get("global_step"));
                }
                return Sessions.save(ps, saver, s, path, p.at(), ip.src());
            }
            Sessions.restore(ps, saver, s, path, p.at(), ip.src());
            return Values.NONE;
        }
        if (self instanceof Sessions.GraphValue) {
            p.bind(0);
            return new Sessions.NoContext("graph");
        }
        if (self instanceof Node n && m.name().equals("get_shape")) {
            p.bind(0);
            return HostOps.shape(n);
        }
        p.bind(0, "feed_dict", "session");
        Sessions.SessionValue s = session(ip, p, m);
        Object result = Sessions.run(ps, s, self, p.get("feed_dict"), p.at(), ip.src());
        return self instanceof Operation ? Values.NONE : result;
    }

    /** The {@code session=} argument, else the default session. */
    private static Sessions.SessionValue session(Evaluator ip, Params p, BoundMethod m) {
        if (p.given("session")) {
            if (p.get("session") instanceof Sessions.SessionValue s) {
                return s;
            }
            throw p.error("session", m.shown() + "(): 'session' must be a session, got " + Values.aType(p.get("session")));
        }
        Sessions.SessionValue s = ip.program().defaults().peek();
        if (s == null) {
            throw ip.src().error(p.at(), "cannot " + (m.name().equals("eval") ? "evaluate a tensor" : "run an operation")
                    + ": no default session is registered; use 'with tf.Session() as sess:' or pass session=");
        }
        return s;
    }
}
