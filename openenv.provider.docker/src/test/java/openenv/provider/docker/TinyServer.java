package openenv.provider.docker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The program inside the test images (java.base only, so the image is a tiny jlink runtime). Modes:
 * {@code serve} answers {@code GET /health} 200 and {@code GET /env?name=X} with X's value; {@code exit} writes two
 * lines and exits 3; {@code unhealthy} listens but answers {@code /health} 503 forever.
 */
final class TinyServer {

    private TinyServer() {
    }

    public static void main(String[] args) throws IOException {
        String mode = args.length == 0 ? "serve" : args[0];
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8000"));
        if (mode.equals("exit")) {
            System.out.println("tiny: starting in mode exit");
            System.err.println("tiny: missing configuration FOO_TOKEN, giving up");
            System.exit(3);
        }
        System.out.println("tiny: GREETING=" + System.getenv().getOrDefault("GREETING", "(unset)"));
        try (ServerSocket server = new ServerSocket(port)) {
            System.out.println("tiny: listening on " + port + " in mode " + mode);
            while (true) {
                try (Socket socket = server.accept()) {
                    answer(socket, mode);
                } catch (IOException e) {
                    System.err.println("tiny: " + e);
                }
            }
        }
    }

    private static void answer(Socket socket, String mode) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.US_ASCII));
        String requestLine = in.readLine();
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            // skip headers
        }
        String path = requestLine == null ? "/" : requestLine.split(" ")[1];
        int status;
        String body;
        if (path.equals("/health")) {
            status = mode.equals("unhealthy") ? 503 : 200;
            body = status == 200 ? "{\"status\":\"healthy\"}" : "{\"status\":\"starting\"}";
        } else if (path.startsWith("/env?name=")) {
            status = 200;
            body = System.getenv().getOrDefault(URLDecoder.decode(path.substring(10), StandardCharsets.UTF_8), "");
        } else if (path.equals("/write")) {
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of("/probe.txt"), "x");
                body = "writable";
            } catch (IOException e) {
                body = "read-only: " + e.getMessage();
            }
            status = 200;
        } else {
            status = 404;
            body = "not found";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }
}
