/*
 * bozorth3 scores from libfprint itself, for the benchmark: NBIS's matcher is only reachable
 * through a device's identify, so this opens libfprint's virtual_image device (FP_VIRTUAL_IMAGE
 * set by the caller), keeps a gallery of NBIS prints built from x, y, theta lists (through
 * fp_print_deserialize, the form libfprint stores prints in), and identifies each probe image the
 * caller places on the virtual sensor against a range of the gallery. libfprint logs every
 * bozorth3 score it computes ("score S/T", log domain libfprint-print); those are the answer.
 * identify stops at the first template that reaches libfprint's threshold: the caller asks again
 * from the next one. Test tooling, not part of the kiosk.
 *
 * Text protocol, one request per line on stdin, one answer line on stdout:
 *   (start)                         -> "ready"
 *   gallery N  + N lines "k x y t x y t …" (NIST internal x, y, theta)   -> "ok N"
 *   identify FROM TO                -> (caller places the probe) "scores S… ; match I" (I = -1: none)
 *   anything failing                -> "error MESSAGE"
 */
#include <fprint.h>
#include <glib-unix.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FpDevice *device;
static GPtrArray *gallery;
static GArray *scores;
static GMainLoop *loop;

static void on_print_debug(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {
    (void)domain; (void)level; (void)data;
    int score, threshold;
    if (sscanf(message, "score %d/%d", &score, &threshold) == 2) g_array_append_val(scores, score);
}

static FpPrint *print_from_xyt(const gint32 *x, const gint32 *y, const gint32 *t, gsize n) {
    GVariantBuilder views;
    g_variant_builder_init(&views, G_VARIANT_TYPE("a(aiaiai)"));
    g_variant_builder_add_value(&views, g_variant_new("(@ai@ai@ai)",
        g_variant_new_fixed_array(G_VARIANT_TYPE_INT32, x, n, sizeof(gint32)),
        g_variant_new_fixed_array(G_VARIANT_TYPE_INT32, y, n, sizeof(gint32)),
        g_variant_new_fixed_array(G_VARIANT_TYPE_INT32, t, n, sizeof(gint32))));
    GVariant *nbis = g_variant_new("(a(aiaiai))", &views);
    GVariantBuilder dict;
    g_variant_builder_init(&dict, G_VARIANT_TYPE_VARDICT);
    g_autoptr(GVariant) whole = g_variant_ref_sink(g_variant_new("(issbymsmsi@a{sv}v)", 2 /* FPI_PRINT_NBIS */,
        fp_device_get_driver(device), fp_device_get_device_id(device), FALSE, (guchar)0, NULL, NULL, G_MININT32,
        g_variant_builder_end(&dict), nbis));
    gsize size = g_variant_get_size(whole);
    /* g_variant_store wants an aligned buffer; the "FP3" header is three bytes. */
    g_autofree guchar *body = g_malloc(size);
    g_variant_store(whole, body);
    g_autofree guchar *data = g_malloc(size + 3);
    memcpy(data, "FP3", 3);
    memcpy(data + 3, body, size);
    g_autoptr(GError) error = NULL;
    FpPrint *print = fp_print_deserialize(data, size + 3, &error);
    if (!print) fprintf(stderr, "deserialize: %s\n", error->message);
    return print;
}

static gboolean read_gallery(unsigned n) {
    g_ptr_array_set_size(gallery, 0);
    char *line = NULL;
    size_t cap = 0;
    for (unsigned i = 0; i < n; i++) {
        if (getline(&line, &cap, stdin) < 0) { free(line); return FALSE; }
        char *p = line, *end;
        long k = strtol(p, &end, 10);
        if (end == p || k < 0 || k > 200) { free(line); return FALSE; }
        g_autofree gint32 *x = g_new0(gint32, k + 1), *y = g_new0(gint32, k + 1), *t = g_new0(gint32, k + 1);
        p = end;
        for (long j = 0; j < k; j++) {
            x[j] = strtol(p, &p, 10);
            y[j] = strtol(p, &p, 10);
            t[j] = strtol(p, &p, 10);
        }
        FpPrint *print = print_from_xyt(x, y, t, (gsize)k);
        if (!print) { free(line); return FALSE; }
        g_ptr_array_add(gallery, print);
    }
    free(line);
    return TRUE;
}

static void on_identified(GObject *source, GAsyncResult *result, gpointer user_data) {
    GPtrArray *range = user_data;
    g_autoptr(GError) error = NULL;
    g_autoptr(FpPrint) match = NULL;
    g_autoptr(FpPrint) probe = NULL;
    if (!fp_device_identify_finish(FP_DEVICE(source), result, &match, &probe, &error)) {
        printf("error %s\n", error->message);
    } else {
        int index = -1;
        for (guint i = 0; match && i < range->len; i++) if (g_ptr_array_index(range, i) == match) index = (int)i;
        printf("scores");
        for (guint i = 0; i < scores->len; i++) printf(" %d", g_array_index(scores, int, i));
        printf(" ; match %d\n", index);
    }
    fflush(stdout);
    g_ptr_array_unref(range);
    g_main_loop_quit(loop);
}

int main(void) {
    g_log_set_handler("libfprint-print", G_LOG_LEVEL_DEBUG, on_print_debug, NULL);
    g_autoptr(FpContext) context = fp_context_new();
    GPtrArray *devices = fp_context_get_devices(context);
    g_autoptr(GError) error = NULL;
    if (devices->len < 1) { printf("error no device\n"); return 1; }
    device = g_ptr_array_index(devices, 0);
    if (!fp_device_open_sync(device, NULL, &error)) { printf("error %s\n", error->message); return 1; }
    gallery = g_ptr_array_new_with_free_func(g_object_unref);
    scores = g_array_new(FALSE, FALSE, sizeof(int));
    loop = g_main_loop_new(NULL, FALSE);
    printf("ready\n");
    fflush(stdout);
    char request[64];
    while (fgets(request, sizeof request, stdin)) {
        unsigned n, from, to;
        if (sscanf(request, "gallery %u", &n) == 1) {
            if (read_gallery(n)) printf("ok %u\n", n);
            else printf("error bad gallery\n");
        } else if (sscanf(request, "identify %u %u", &from, &to) == 2 && from < to && to <= gallery->len) {
            GPtrArray *range = g_ptr_array_new_with_free_func(g_object_unref);
            for (unsigned i = from; i < to; i++) g_ptr_array_add(range, g_object_ref(g_ptr_array_index(gallery, i)));
            g_array_set_size(scores, 0);
            fp_device_identify(device, range, NULL, NULL, NULL, NULL, on_identified, g_ptr_array_ref(range));
            g_ptr_array_unref(range);
            g_main_loop_run(loop);
            continue;
        } else printf("error bad request\n");
        fflush(stdout);
    }
    fp_device_close_sync(device, NULL, NULL);
    return 0;
}
