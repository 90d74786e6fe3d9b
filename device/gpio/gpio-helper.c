/*
 * anjungan-gpio: the panel's GPIO lines through the kernel's GPIO character device, with
 * libgpiod 2 (Debian's libgpiod3). The daemon (device/gpio/chardev-gpio.ts) runs it as a child:
 * no Node binding for libgpiod 2 is maintained, and sysfs GPIO (onoff) is deprecated upstream.
 *
 *   anjungan-gpio --list
 *       one JSON line per chip: {"chip":"/dev/gpiochip0","label":"pinctrl-bcm2711","lines":58}
 *   anjungan-gpio [--probe] LINE...      LINE = NAME:CHIP_LABEL:OFFSET:in|out:ACTIVE_LOW(0|1)
 *       requests every line (outputs start inactive), prints {"ready":true} and one
 *       {"line":NAME,"value":0|1} per input; then, on standard input, "set NAME 0|1" lines drive
 *       outputs, and every edge on an input prints its new logical value. End of input releases
 *       the lines and exits 0. --probe exits right after {"ready":true} (doctor's check).
 *   A problem prints {"error":CODE,"message":TEXT} and exits 2; CODE is one of noChip,
 *   chipNotFound, noAccess, offsetOutOfRange, busy, badArgument, ioError.
 */
#include <dirent.h>
#include <errno.h>
#include <gpiod.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_LINES 16

struct line {
	char name[32];
	char label[64];
	unsigned int offset;
	bool output;
	bool active_low;
	struct gpiod_line_request *request;
};

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void fail(const char *code, const char *fmt, const char *a, const char *b)
{
	char message[512];
	snprintf(message, sizeof(message), fmt, a, b);
	printf("{\"error\":\"%s\",\"message\":", code);
	json_string(message);
	printf("}\n");
	fflush(stdout);
	exit(2);
}

static int chip_paths(char paths[][64], int max)
{
	DIR *dev = opendir("/dev");
	struct dirent *entry;
	int n = 0;
	if (!dev)
		return 0;
	while ((entry = readdir(dev)) && n < max) {
		if (strncmp(entry->d_name, "gpiochip", 8) != 0 || strlen(entry->d_name) > 48)
			continue;
		snprintf(paths[n], 64, "/dev/%.48s", entry->d_name);
		if (gpiod_is_gpiochip_device(paths[n]))
			n++;
	}
	closedir(dev);
	return n;
}

/* Opens the chip labelled `label`; its line count goes to *lines. */
static struct gpiod_chip *open_by_label(const char *label, size_t *lines)
{
	char paths[32][64];
	char found[512] = "";
	int n = chip_paths(paths, 32);
	bool refused = false;
	for (int i = 0; i < n; i++) {
		struct gpiod_chip *chip = gpiod_chip_open(paths[i]);
		if (!chip) {
			if (errno == EACCES || errno == EPERM)
				refused = true;
			continue;
		}
		struct gpiod_chip_info *info = gpiod_chip_get_info(chip);
		if (info && strcmp(gpiod_chip_info_get_label(info), label) == 0) {
			*lines = gpiod_chip_info_get_num_lines(info);
			gpiod_chip_info_free(info);
			return chip;
		}
		if (info) {
			strncat(found, found[0] ? ", " : "", sizeof(found) - strlen(found) - 1);
			strncat(found, gpiod_chip_info_get_label(info), sizeof(found) - strlen(found) - 1);
			gpiod_chip_info_free(info);
		}
		gpiod_chip_close(chip);
	}
	if (n == 0)
		fail("noChip", "no GPIO chip on this machine (no /dev/gpiochip*)%s%s", "", "");
	if (refused)
		fail("noAccess", "a GPIO chip cannot be opened by this user (the udev rule gives the gpio group /dev/gpiochip*); looking for \"%s\"%s", label, "");
	fail("chipNotFound", "no GPIO chip labelled \"%s\" (found: %s)", label, found[0] ? found : "none");
	return NULL;
}

static void list_chips(void)
{
	char paths[32][64];
	int n = chip_paths(paths, 32);
	for (int i = 0; i < n; i++) {
		struct gpiod_chip *chip = gpiod_chip_open(paths[i]);
		printf("{\"chip\":");
		json_string(paths[i]);
		if (!chip) {
			printf(",\"error\":");
			json_string(strerror(errno));
			printf("}\n");
			continue;
		}
		struct gpiod_chip_info *info = gpiod_chip_get_info(chip);
		if (info) {
			printf(",\"label\":");
			json_string(gpiod_chip_info_get_label(info));
			printf(",\"lines\":%zu", gpiod_chip_info_get_num_lines(info));
			gpiod_chip_info_free(info);
		}
		printf("}\n");
		gpiod_chip_close(chip);
	}
}

static void parse_line(const char *arg, struct line *line)
{
	char copy[160], *fields[5], *save = NULL;
	int n = 0;
	if (strlen(arg) >= sizeof(copy))
		fail("badArgument", "line argument too long: %s%s", arg, "");
	strcpy(copy, arg);
	for (char *f = strtok_r(copy, ":", &save); f && n < 5; f = strtok_r(NULL, ":", &save))
		fields[n++] = f;
	if (n != 5 || strlen(fields[0]) >= sizeof(line->name) || strlen(fields[1]) >= sizeof(line->label))
		fail("badArgument", "expected NAME:CHIP_LABEL:OFFSET:in|out:0|1, got %s%s", arg, "");
	char *end;
	unsigned long offset = strtoul(fields[2], &end, 10);
	if (*end || end == fields[2] || offset > 1023 || (strcmp(fields[3], "in") && strcmp(fields[3], "out")) ||
	    (strcmp(fields[4], "0") && strcmp(fields[4], "1")))
		fail("badArgument", "expected NAME:CHIP_LABEL:OFFSET:in|out:0|1, got %s%s", arg, "");
	strcpy(line->name, fields[0]);
	strcpy(line->label, fields[1]);
	line->offset = (unsigned int)offset;
	line->output = strcmp(fields[3], "out") == 0;
	line->active_low = strcmp(fields[4], "1") == 0;
}

static void request(struct line *line)
{
	size_t count = 0;
	struct gpiod_chip *chip = open_by_label(line->label, &count);
	char offset[16];
	snprintf(offset, sizeof(offset), "%u", line->offset);
	if (line->offset >= count)
		fail("offsetOutOfRange", "offset %s is beyond the lines of \"%s\"", offset, line->label);
	struct gpiod_line_settings *settings = gpiod_line_settings_new();
	struct gpiod_line_config *config = gpiod_line_config_new();
	struct gpiod_request_config *req = gpiod_request_config_new();
	if (!settings || !config || !req)
		fail("ioError", "out of memory%s%s", "", "");
	gpiod_line_settings_set_active_low(settings, line->active_low);
	if (line->output) {
		gpiod_line_settings_set_direction(settings, GPIOD_LINE_DIRECTION_OUTPUT);
		gpiod_line_settings_set_output_value(settings, GPIOD_LINE_VALUE_INACTIVE);
	} else {
		gpiod_line_settings_set_direction(settings, GPIOD_LINE_DIRECTION_INPUT);
		gpiod_line_settings_set_edge_detection(settings, GPIOD_LINE_EDGE_BOTH);
	}
	gpiod_line_config_add_line_settings(config, &line->offset, 1, settings);
	gpiod_request_config_set_consumer(req, "anjungan");
	line->request = gpiod_chip_request_lines(chip, req, config);
	if (!line->request)
		fail(errno == EBUSY ? "busy" : "ioError", "cannot request line %s: %s", line->name, strerror(errno));
	gpiod_request_config_free(req);
	gpiod_line_config_free(config);
	gpiod_line_settings_free(settings);
	gpiod_chip_close(chip);
}

static void report(const struct line *line)
{
	enum gpiod_line_value v = gpiod_line_request_get_value(line->request, line->offset);
	if (v == GPIOD_LINE_VALUE_ERROR)
		fail("ioError", "cannot read line %s: %s", line->name, strerror(errno));
	printf("{\"line\":");
	json_string(line->name);
	printf(",\"value\":%d}\n", v == GPIOD_LINE_VALUE_ACTIVE ? 1 : 0);
}

static void command(struct line *lines, int n, char *text)
{
	char name[32];
	int value;
	if (sscanf(text, "set %31s %d", name, &value) != 2 || (value != 0 && value != 1))
		fail("badArgument", "unknown command: %s%s", text, "");
	for (int i = 0; i < n; i++) {
		if (lines[i].output && strcmp(lines[i].name, name) == 0) {
			if (gpiod_line_request_set_value(lines[i].request, lines[i].offset,
							 value ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE) < 0)
				fail("ioError", "cannot set line %s: %s", name, strerror(errno));
			return;
		}
	}
	fail("badArgument", "no output line named %s%s", name, "");
}

int main(int argc, char **argv)
{
	struct line lines[MAX_LINES];
	bool probe = false;
	int n = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		list_chips();
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--probe") == 0) {
			probe = true;
			continue;
		}
		if (n == MAX_LINES)
			fail("badArgument", "more than 16 lines%s%s", "", "");
		parse_line(argv[i], &lines[n++]);
	}
	if (n == 0)
		fail("badArgument", "usage: anjungan-gpio --list | [--probe] NAME:CHIP_LABEL:OFFSET:in|out:0|1 ...%s%s", "", "");
	for (int i = 0; i < n; i++)
		request(&lines[i]);
	printf("{\"ready\":true}\n");
	if (probe)
		return 0;
	for (int i = 0; i < n; i++)
		if (!lines[i].output)
			report(&lines[i]);

	struct pollfd fds[MAX_LINES + 1];
	struct gpiod_edge_event_buffer *events = gpiod_edge_event_buffer_new(16);
	char input[256];
	size_t used = 0;
	for (;;) {
		int watched = 0;
		fds[watched++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		for (int i = 0; i < n; i++)
			if (!lines[i].output)
				fds[watched++] = (struct pollfd){ .fd = gpiod_line_request_get_fd(lines[i].request), .events = POLLIN };
		if (poll(fds, watched, -1) < 0) {
			if (errno == EINTR)
				continue;
			fail("ioError", "poll: %s%s", strerror(errno), "");
		}
		if (fds[0].revents & (POLLIN | POLLHUP)) {
			ssize_t got = read(STDIN_FILENO, input + used, sizeof(input) - 1 - used);
			if (got <= 0)
				break;
			used += (size_t)got;
			input[used] = '\0';
			char *newline;
			while ((newline = strchr(input, '\n'))) {
				*newline = '\0';
				if (input[0])
					command(lines, n, input);
				used -= (size_t)(newline + 1 - input);
				memmove(input, newline + 1, used + 1);
			}
			if (used == sizeof(input) - 1)
				fail("badArgument", "command too long%s%s", "", "");
		}
		for (int w = 1, i = 0; i < n; i++) {
			if (lines[i].output)
				continue;
			if (fds[w++].revents & POLLIN) {
				if (gpiod_line_request_read_edge_events(lines[i].request, events, 16) < 0)
					fail("ioError", "cannot read events of %s: %s", lines[i].name, strerror(errno));
				report(&lines[i]);
			}
		}
	}
	for (int i = 0; i < n; i++)
		gpiod_line_request_release(lines[i].request);
	gpiod_edge_event_buffer_free(events);
	return 0;
}
