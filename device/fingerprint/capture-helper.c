/*
 * anjungan-fprint-capture: the kiosk's only contact with libfprint. The daemon runs it as a child
 * process so that a driver crash or hang costs a restart of this helper, never the daemon.
 *
 * It captures images only: libfprint matches against its own enrolled prints, not the ISO
 * templates on a KTP-el, so the daemon extracts minutiae from the image itself.
 *
 * Protocol on stdin/stdout, both ways: frames of a 4-byte big-endian length (of what follows),
 * one kind byte, then the body. Requests are answered in order, except CANCEL and PING, which are
 * answered (PING) or acted on (CANCEL) while a capture waits for a finger.
 *   0x01 LIST            -> 0x81 lines "driver\tdevice-id\tname\n" (tabs/newlines in names -> ' ')
 *   0x02 OPEN u32 index  -> 0x82 (empty)
 *   0x03 CAPTURE         -> 0x83 u32 width, u32 height, u32 pixels-per-metre (0: unknown), pixels
 *   0x04 CANCEL          -> (no answer of its own; the capture in flight answers ERROR cancelled)
 *   0x05 CLOSE           -> 0x85 (empty)
 *   0x06 PING            -> 0x86 (empty)   liveness of the main loop, even during a capture
 *   0x07 CAPTURE_NBIS    -> 0x87 u32 width, u32 height, u32 pixels-per-metre, u32 NBIS microseconds,
 *                           u32 n, n × (i32 x, i32 y, i32 theta), pixels
 *                           the same capture, plus libfprint's own NBIS mindtct minutiae of the
 *                           image: x, y, theta exactly as libfprint serializes an NBIS print
 *                           (origin bottom left, theta in degrees counter-clockwise, NIST's
 *                           internal sense, see device/fingerprint/nbis.ts), and how long
 *                           mindtct took. It is the first stage of an enrolment, then cancelled:
 *                           libfprint only exposes minutia directions through a print.
 *   any failure          -> 0xFF u8 code, u8 detail, UTF-8 message (codes below; for RETRY the
 *                           detail is libfprint's FpDeviceRetry code: what the finger should do)
 * The image is libfprint's 8-bit grayscale, row-major, dark ridges on a light background.
 * End of stdin closes the device and exits.
 */
#include <errno.h>
#include <fprint.h>
#include <glib-unix.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { REQ_LIST = 1, REQ_OPEN, REQ_CAPTURE, REQ_CANCEL, REQ_CLOSE, REQ_PING, REQ_CAPTURE_NBIS };
enum { ANS_LIST = 0x81, ANS_OPEN, ANS_IMAGE, ANS_CLOSE = 0x85, ANS_PONG, ANS_NBIS, ANS_ERROR = 0xFF };
enum { ERR_BAD_REQUEST = 1, ERR_NO_DEVICE, ERR_OPEN_FAILED, ERR_CAPTURE_FAILED, ERR_CANCELLED, ERR_NOT_OPEN, ERR_BUSY, ERR_RETRY };

/* Requests are tiny; anything longer is a broken peer, refused before it is buffered. */
#define MAX_REQUEST 64

static GMainLoop *loop;
static FpContext *context;
static FpDevice *device;
static GCancellable *capture_cancel;
static guint8 inbuf[MAX_REQUEST + 4];
static gsize inlen;
/* The NBIS capture in flight: its first enrolment stage has come (a print or an error). */
static gboolean nbis_stage_done;
static FpPrint *nbis_print;
static GError *nbis_error;
/* mindtct's own timing of its last run, from libfprint's debug log (written by its worker thread). */
static volatile gint64 mindtct_us = -1;

static void write_all(const void *data, size_t len) {
    const guint8 *p = data;
    while (len > 0) {
        ssize_t n = write(STDOUT_FILENO, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) _exit(3); /* the daemon is gone */
        p += n;
        len -= (size_t)n;
    }
}

static void put_u32(guint8 *p, guint32 v) {
    p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

static void send_frame(guint8 kind, const void *body, guint32 len) {
    guint8 head[5];
    put_u32(head, len + 1);
    head[4] = kind;
    write_all(head, 5);
    if (len > 0) write_all(body, len);
}

static void send_error_detail(guint8 code, guint8 detail, const char *message) {
    size_t n = strlen(message);
    if (n > 200) n = 200;
    guint8 body[202];
    body[0] = code;
    body[1] = detail;
    memcpy(body + 2, message, n);
    send_frame(ANS_ERROR, body, (guint32)n + 2);
}

static void send_error(guint8 code, const char *message) {
    send_error_detail(code, 0, message);
}

static void append_clean(GString *s, const char *text) {
    for (const char *c = text ? text : ""; *c; c++) g_string_append_c(s, (*c == '\t' || *c == '\n' || *c == '\r') ? ' ' : *c);
}

static void list_devices(void) {
    GPtrArray *devices = fp_context_get_devices(context);
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < devices->len; i++) {
        FpDevice *d = g_ptr_array_index(devices, i);
        append_clean(s, fp_device_get_driver(d));
        g_string_append_c(s, '\t');
        append_clean(s, fp_device_get_device_id(d));
        g_string_append_c(s, '\t');
        append_clean(s, fp_device_get_name(d));
        g_string_append_c(s, '\n');
    }
    send_frame(ANS_LIST, s->str, (guint32)s->len);
    g_string_free(s, TRUE);
}

static void open_device(guint32 index) {
    if (device) { send_error(ERR_BUSY, "a device is already open"); return; }
    GPtrArray *devices = fp_context_get_devices(context);
    if (index >= devices->len) { send_error(ERR_NO_DEVICE, "no such device"); return; }
    FpDevice *d = g_ptr_array_index(devices, index);
    g_autoptr(GError) error = NULL;
    if (!fp_device_open_sync(d, NULL, &error)) { send_error(ERR_OPEN_FAILED, error->message); return; }
    if (!fp_device_has_feature(d, FP_DEVICE_FEATURE_CAPTURE)) {
        fp_device_close_sync(d, NULL, NULL);
        send_error(ERR_OPEN_FAILED, "the device cannot capture images");
        return;
    }
    device = g_object_ref(d);
    send_frame(ANS_OPEN, NULL, 0);
}

static void send_capture_failure(const GError *error) {
    if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) send_error(ERR_CANCELLED, "capture cancelled");
    else if (error->domain == FP_DEVICE_RETRY) send_error_detail(ERR_RETRY, (guint8)error->code, error->message);
    else send_error(ERR_CAPTURE_FAILED, error->message);
}

/* An image answer: kind, width, height, pixels per metre, `extra` (kind-specific), pixels. */
static void send_image(guint8 kind, FpImage *image, const guint8 *extra, guint32 extra_len) {
    gsize len = 0;
    const guchar *pixels = fp_image_get_data(image, &len);
    guint width = fp_image_get_width(image), height = fp_image_get_height(image);
    if (len != (gsize)width * height) { send_error(ERR_CAPTURE_FAILED, "image size does not match its dimensions"); return; }
    guint8 head[17];
    put_u32(head, (guint32)(len + 13 + extra_len));
    head[4] = kind;
    put_u32(head + 5, width);
    put_u32(head + 9, height);
    put_u32(head + 13, (guint32)(fp_image_get_ppmm(image) * 1000.0 + 0.5));
    write_all(head, sizeof head);
    if (extra_len > 0) write_all(extra, extra_len);
    write_all(pixels, len);
}

static void on_captured(GObject *source, GAsyncResult *result, gpointer user_data) {
    (void)user_data;
    g_autoptr(GError) error = NULL;
    g_autoptr(FpImage) image = fp_device_capture_finish(FP_DEVICE(source), result, &error);
    g_clear_object(&capture_cancel);
    if (!image) { send_capture_failure(error); return; }
    send_image(ANS_IMAGE, image, NULL, 0);
}

/*
 * The minutiae of an NBIS print of one view, read back from fp_print_serialize(): the variant
 * "(issbymsmsia{sv}v)" whose last member holds "(a(aiaiai))", per view the arrays x, y, theta.
 */
static gboolean send_nbis(FpPrint *print) {
    g_autofree guchar *data = NULL;
    gsize len = 0;
    g_autoptr(GError) error = NULL;
    FpImage *image = fp_print_get_image(print);
    if (!image || !fp_print_serialize(print, &data, &len, &error) || len < 3 || memcmp(data, "FP3", 3) != 0) return FALSE;
    /* GBytes copies to an aligned buffer; the print was serialized on this machine, in its byte order. */
    g_autoptr(GBytes) bytes = g_bytes_new(data + 3, len - 3);
    g_autoptr(GVariant) whole = g_variant_ref_sink(g_variant_new_from_bytes(G_VARIANT_TYPE("(issbymsmsia{sv}v)"), bytes, FALSE));
    g_autoptr(GVariant) boxed = g_variant_get_child_value(whole, 9);
    g_autoptr(GVariant) nbis = g_variant_get_variant(boxed);
    if (!g_variant_is_of_type(nbis, G_VARIANT_TYPE("(a(aiaiai))"))) return FALSE;
    g_autoptr(GVariant) views = g_variant_get_child_value(nbis, 0);
    if (g_variant_n_children(views) != 1) return FALSE;
    g_autoptr(GVariant) view = g_variant_get_child_value(views, 0);
    g_autoptr(GVariant) xs = g_variant_get_child_value(view, 0);
    g_autoptr(GVariant) ys = g_variant_get_child_value(view, 1);
    g_autoptr(GVariant) ts = g_variant_get_child_value(view, 2);
    gsize nx = 0, ny = 0, nt = 0;
    const gint32 *x = g_variant_get_fixed_array(xs, &nx, sizeof(gint32));
    const gint32 *y = g_variant_get_fixed_array(ys, &ny, sizeof(gint32));
    const gint32 *t = g_variant_get_fixed_array(ts, &nt, sizeof(gint32));
    if (nx != ny || nx != nt || nx > 1000) return FALSE;
    gsize extra_len = 8 + 12 * nx;
    g_autofree guint8 *extra = g_malloc(extra_len);
    gint64 us = mindtct_us;
    put_u32(extra, us < 0 ? 0xffffffffu : (guint32)MIN(us, (gint64)0xfffffffe));
    put_u32(extra + 4, (guint32)nx);
    for (gsize i = 0; i < nx; i++) {
        put_u32(extra + 8 + 12 * i, (guint32)x[i]);
        put_u32(extra + 12 + 12 * i, (guint32)y[i]);
        put_u32(extra + 16 + 12 * i, (guint32)t[i]);
    }
    send_image(ANS_NBIS, image, extra, (guint32)extra_len);
    return TRUE;
}

static void on_enroll_progress(FpDevice *d, gint completed, FpPrint *print, gpointer user_data, GError *error) {
    (void)d; (void)completed; (void)user_data;
    if (nbis_stage_done) return;
    nbis_stage_done = TRUE;
    if (error) nbis_error = g_error_copy(error);
    else if (print) nbis_print = g_object_ref(print);
    /* One stage is all this needs: the enrolment ends here; on_enrolled answers once it has. */
    if (capture_cancel) g_cancellable_cancel(capture_cancel);
}

/* The answer goes out when libfprint has ended the enrolment, so the device is idle again by then. */
static void on_enrolled(GObject *source, GAsyncResult *result, gpointer user_data) {
    (void)user_data;
    g_autoptr(GError) error = NULL;
    g_autoptr(FpPrint) print = fp_device_enroll_finish(FP_DEVICE(source), result, &error);
    g_clear_object(&capture_cancel);
    if (nbis_print) {
        if (!send_nbis(nbis_print)) send_error(ERR_CAPTURE_FAILED, "libfprint gave no readable NBIS print for the image");
    } else if (nbis_error) send_capture_failure(nbis_error);
    else if (error) send_capture_failure(error);
    else send_error(ERR_CAPTURE_FAILED, "enrolment ended without a stage");
    g_clear_object(&nbis_print);
    g_clear_error(&nbis_error);
}

/* libfprint's debug lines that carry mindtct's timing ("Minutiae scan completed in %f secs"). */
static void on_image_debug(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer user_data) {
    (void)domain; (void)level; (void)user_data;
    double secs;
    if (sscanf(message, "Minutiae scan completed in %lf secs", &secs) == 1) mindtct_us = (gint64)(secs * 1e6 + 0.5);
}

static void start_capture(void) {
    if (!device) { send_error(ERR_NOT_OPEN, "no device is open"); return; }
    if (capture_cancel) { send_error(ERR_BUSY, "a capture is already waiting"); return; }
    capture_cancel = g_cancellable_new();
    /* wait_for_finger TRUE: the capture returns when a finger was placed, not an empty frame. */
    fp_device_capture(device, TRUE, capture_cancel, on_captured, NULL);
}

static void start_capture_nbis(void) {
    if (!device) { send_error(ERR_NOT_OPEN, "no device is open"); return; }
    if (capture_cancel) { send_error(ERR_BUSY, "a capture is already waiting"); return; }
    capture_cancel = g_cancellable_new();
    nbis_stage_done = FALSE;
    mindtct_us = -1;
    fp_device_enroll(device, fp_print_new(device), capture_cancel, on_enroll_progress, NULL, NULL, on_enrolled, NULL);
}

static void close_device(void) {
    if (capture_cancel) { send_error(ERR_BUSY, "a capture is waiting; cancel it first"); return; }
    if (device) {
        fp_device_close_sync(device, NULL, NULL);
        g_clear_object(&device);
    }
    send_frame(ANS_CLOSE, NULL, 0);
}

static guint32 get_u32(const guint8 *p) {
    return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

static void handle(const guint8 *frame, guint32 len) {
    guint8 kind = frame[0];
    switch (kind) {
    case REQ_LIST: list_devices(); break;
    case REQ_OPEN:
        if (len != 5) send_error(ERR_BAD_REQUEST, "OPEN takes a 4-byte index");
        else open_device(get_u32(frame + 1));
        break;
    case REQ_CAPTURE: start_capture(); break;
    case REQ_CANCEL: if (capture_cancel) g_cancellable_cancel(capture_cancel); break;
    case REQ_CLOSE: close_device(); break;
    case REQ_PING: send_frame(ANS_PONG, NULL, 0); break;
    case REQ_CAPTURE_NBIS: start_capture_nbis(); break;
    default: send_error(ERR_BAD_REQUEST, "unknown request");
    }
}

static gboolean on_stdin(gint fd, GIOCondition condition, gpointer user_data) {
    (void)condition; (void)user_data;
    ssize_t n = read(fd, inbuf + inlen, sizeof inbuf - inlen);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return G_SOURCE_CONTINUE;
    if (n <= 0) { g_main_loop_quit(loop); return G_SOURCE_REMOVE; }
    inlen += (gsize)n;
    while (inlen >= 4) {
        guint32 len = get_u32(inbuf);
        if (len == 0 || len > MAX_REQUEST) { send_error(ERR_BAD_REQUEST, "bad frame length"); g_main_loop_quit(loop); return G_SOURCE_REMOVE; }
        if (inlen < 4 + len) break;
        handle(inbuf + 4, len);
        memmove(inbuf, inbuf + 4 + len, inlen - 4 - len);
        inlen -= 4 + len;
    }
    return G_SOURCE_CONTINUE;
}

int main(void) {
    /* libfprint logs through GLib to stderr; stdout carries frames only. */
    g_log_set_handler("libfprint-image", G_LOG_LEVEL_DEBUG, on_image_debug, NULL);
    context = fp_context_new();
    fp_context_enumerate(context);
    loop = g_main_loop_new(NULL, FALSE);
    g_unix_set_fd_nonblocking(STDIN_FILENO, TRUE, NULL);
    g_unix_fd_add(STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, NULL);
    g_main_loop_run(loop);
    /* A capture still waiting dies with the process; otherwise close the device cleanly. */
    if (device && !capture_cancel) fp_device_close_sync(device, NULL, NULL);
    return 0;
}
