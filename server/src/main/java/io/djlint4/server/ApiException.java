package io.djlint4.server;

import com.google.gson.JsonObject;

/**
 * A request the server refuses, answered with an HTTP status and OpenAI's error object {@code
 * {"error": {"message", "type", "param", "code"}}}.
 */
final class ApiException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String param;
    private final String code;

    ApiException(int status, String type, String message, String param, String code) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** A 400 naming the request field at fault. */
    static ApiException invalid(String param, String message) {
        return new ApiException(400, "invalid_request_error", message, param, "invalid_value");
    }

    int status() {
        return status;
    }

    /** The error object. */
    JsonObject body() {
        return errorBody(getMessage(), type, param, code);
    }

    static JsonObject errorBody(String message, String type, String param, String code) {
        JsonObject error = new JsonObject();
        error.addProperty("message", message);
        error.addProperty("type", type);
        error.addProperty("param", param);
        error.addProperty("code", code);
        JsonObject body = new JsonObject();
        body.add("error", error);
        return body;
    }
}
