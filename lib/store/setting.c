/* setting.c: named integers: anonymous counters and housekeeping flags */
#include <string.h>

#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

static int
read_value(struct store *st, DB_TXN *txn, const char *name, int rmw,
    int64_t *value)
{
	json_t *body;
	int rc = store_get_rec(st, txn, STORE_SETTING, name, strlen(name), rmw,
	    &body);

	*value = 0;
	if (rc == HE_NOTFOUND)
		return HE_OK;
	if (rc != HE_OK)
		return rc;
	*value = json_integer_value(json_object_get(body, "v"));
	json_decref(body);
	return HE_OK;
}

int
store_setting_get(struct store *st, DB_TXN *txn, const char *name,
    int64_t *value)
{
	return read_value(st, txn, name, 0, value);
}

int
store_setting_set(struct store *st, DB_TXN *txn, const char *name,
    int64_t value)
{
	json_t *body = json_pack("{s:I}", "v", (json_int_t)value);
	int rc;

	if (body == NULL)
		return HE_NOMEM;
	rc = store_put_rec(st, txn, STORE_SETTING, name, strlen(name), body, 0);
	json_decref(body);
	return rc;
}

int
store_setting_add(struct store *st, DB_TXN *txn, const char *name,
    int64_t delta)
{
	int64_t v;
	int rc = read_value(st, txn, name, 1, &v);

	return rc == HE_OK ? store_setting_set(st, txn, name, v + delta) : rc;
}
