/* campaign_window.c: when a person may get a campaign's mail (its window, the quiet hours, their zone) */
#include <jansson.h>

#include "crm/campaign.h"
#include "util/he.h"
#include "util/tz.h"

int64_t
campaign_send_time(const struct campaign_cfg *cfg, const json_t *window,
    const json_t *rec, int64_t t)
{
	json_t *from = json_object_get(window, "from"), *to = json_object_get(window,
	    "to");
	const char *zone = tz_for_location(
	    json_string_value(json_object_get(rec, "city")),
	    json_string_value(json_object_get(rec, "country")));
	const struct tz *z;
	struct send_window w = {
		.from_hour = json_is_integer(from) ? (int)json_integer_value(from) : 0,
		.to_hour = json_is_integer(to) ? (int)json_integer_value(to) : 24,
		.weekdays_only = json_is_true(json_object_get(window, "weekdays")),
		.quiet_from = cfg->quiet_from,
		.quiet_to = cfg->quiet_to,
	};

	if ((zone == NULL || tz_get(zone, &z) != HE_OK) &&
	    tz_get(cfg->timezone, &z) != HE_OK && tz_get("UTC", &z) != HE_OK)
		return t;
	return tz_next_send(z, t, &w);
}
