package io.djlint4.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Stands in for an Int4 manager's PyTorch manager until an operation needs it. DJL's {@code
 * NDArrayAdapter} hands unimplemented operations to whatever manager it was given, so the
 * stand-in must be an {@link NDManager}; a dynamic proxy forwards every call of that wide
 * interface to the real manager, created (and PyTorch loaded) on the first call.
 */
final class LazyFallbackManager implements InvocationHandler {

    private final Int4Engine engine;
    private NDManager delegate;
    private boolean closed;

    private LazyFallbackManager(Int4Engine engine) {
        this.engine = engine;
    }

    /**
     * Returns a stand-in for the fallback manager, or {@code null} when there is no fallback
     * (switched off, or PyTorch not on the class path): operations Int4 does not implement then
     * fail with DJL's "does not currently support".
     *
     * @param engine the Int4 engine, which finds the fallback engine
     * @return the stand-in, or {@code null}
     */
    static NDManager create(Int4Engine engine) {
        if (!Int4Engine.isFallbackEnabled()) {
            return null;
        }
        return (NDManager)
                Proxy.newProxyInstance(
                        NDManager.class.getClassLoader(),
                        new Class<?>[] {NDManager.class},
                        new LazyFallbackManager(engine));
    }

    /**
     * Returns the real manager behind a stand-in, creating it if needed.
     *
     * @param manager a stand-in made by {@link #create} (or {@code null})
     * @return the PyTorch manager, or {@code null} for {@code null}
     */
    static NDManager resolve(NDManager manager) {
        if (manager == null) {
            return null;
        }
        return ((LazyFallbackManager) Proxy.getInvocationHandler(manager)).delegate();
    }

    /**
     * Returns whether a stand-in has created its real manager.
     *
     * @param manager a stand-in made by {@link #create} (or {@code null})
     * @return {@code true} once an operation (or {@link #resolve}) needed it
     */
    static boolean isResolved(NDManager manager) {
        return manager != null
                && ((LazyFallbackManager) Proxy.getInvocationHandler(manager)).isResolved();
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "close":
                close();
                return null;
            case "isOpen":
                return isOpen();
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "lazy fallback manager (" + (isResolved() ? "loaded" : "not loaded") + ")";
            default:
                try {
                    return method.invoke(delegate(), args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
        }
    }

    private synchronized NDManager delegate() {
        if (delegate == null) {
            if (closed) {
                throw new IllegalStateException("The Int4 manager owning this fallback manager is closed");
            }
            Engine fallback = engine.fallbackEngine();
            if (fallback == null) {
                throw new UnsupportedOperationException(
                        "This NDArray operation is not implemented by Int4 and the fallback engine"
                                + " (PyTorch) could not be loaded");
            }
            delegate = fallback.newBaseManager(Device.cpu());
        }
        return delegate;
    }

    private synchronized boolean isResolved() {
        return delegate != null;
    }

    private synchronized boolean isOpen() {
        return delegate == null ? !closed : delegate.isOpen();
    }

    private synchronized void close() {
        closed = true;
        if (delegate != null) {
            delegate.close();
        }
    }
}
