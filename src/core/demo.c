/* demo.c - believable demo data for Jinjiang's townships.
 *
 * Each township gets, for the year asked, roughly its share of every
 * countable indicator of the year's plan (the city target split evenly,
 * rounded up, as in the example quota file) scaled by how much of the year
 * has passed and by
 * a random pace between about half and one and a third, so that a demo
 * report shows some indicators ahead and some behind.  Activities, elderly
 * digital-skills classes and other training come on top: they feed no
 * indicator but are what a ledger mostly holds; and, when the forms have a
 * place for them, a few records of the plan's other work (bases, online
 * science, teams, science envoys, funding), which only tallies count.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "date.h"
#include "demo.h"
#include "err.h"
#include "lang.h"
#include "text.h"

#define N(a) (sizeof (a) / sizeof (a)[0])

/* ---- a small deterministic generator (xorshift32) ------------------------- */

struct rng {
	uint32_t s;
};

/* FNV-1a: a township gets the same demo data in its own ledger as in the
 * city's, and each township its own. */
static unsigned name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void rng_seed(struct rng *r, unsigned seed, unsigned salt)
{
	r->s = (uint32_t)seed * 2654435761u ^ (uint32_t)salt * 40503u;
	if (r->s == 0)
		r->s = 0x9e3779b9u;
}

static uint32_t rng_next(struct rng *r)
{
	uint32_t x = r->s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return r->s = x;
}

static int rng_in(struct rng *r, int lo, int hi)
{
	return lo + (int)(rng_next(r) % (uint32_t)(hi - lo + 1));
}

static const char *rng_pick(struct rng *r, const char *const *list, size_t n)
{
	return list[rng_next(r) % n];
}

#define PICK(r, a) rng_pick(r, a, N(a))

/* ---- what gets written ---------------------------------------------------- */

static const char *const villages[] = {
	"岸兜村", "江头村", "湖中村", "东垵村", "塘市村", "苏厝村", "溪边村",
	"仕春村", "石龟村", "后坑村", "南庄村", "新街社区", "霞浯村", "曾井村",
};
static const char *const trainers[] = {
	"陈建华", "林美玲", "许志强", "王丽娟", "蔡明辉", "洪晓燕", "施文彬",
	"吴秀珍", "丁国栋", "庄雅婷", "黄振南", "李淑芬",
};
static const char *const hours[] = { "2", "3", "4", "6", "8", "1.5", "16" };

static const char *const t_teacher[] = {
	"科学教师实验教学能力提升培训", "青少年科技辅导员培训班",
	"中小学科学课程标准解读培训", "人工智能教育骨干教师培训",
};
static const char *const t_rural[] = {
	"茶叶种植技术培训", "设施蔬菜栽培技术培训", "紫菜养殖技术培训",
	"水产健康养殖技术培训", "果树修剪与病虫害防治培训",
	"农产品电商直播培训",
};
static const char *const t_agritech[] = {
	"基层农技人员知识更新培训", "农技推广骨干能力提升培训",
};
static const char *const t_worker[] = {
	"鞋服企业安全生产培训", "纺织机械操作技能培训", "职工数字化技能提升培训",
	"陶瓷企业职业病防护培训", "食品企业质量安全培训",
};
static const char *const t_skill[] = {
	"制鞋工高级技能等级认定培训", "服装制版师技能提升培训",
	"电工技师考前培训", "数控车工高级工培训",
};
static const char *const t_official[] = {
	"晋江干部学堂：科技创新专题讲座", "领导干部科学素质网络培训",
	"公务员数字政府建设专题培训",
};
static const char *const t_elderly[] = {
	"老年人智能手机使用培训", "银龄数字生活课堂：防范电信诈骗",
};
static const char *const t_other[] = {
	"家庭应急救护知识培训", "防震减灾知识培训",
};

static const char *const o_teacher[] = { "jiaoyuju", "kexie" };
static const char *const o_rural[] = { "nongye", "township" };
static const char *const o_worker[] = { "zonggonghui", "yingjiju" };
static const char *const o_skill[] = { "renshiju", "zonggonghui" };
static const char *const o_official[] = { "zuzhibu", "dangxiao" };
static const char *const o_local[] = { "township", "kexie", "minzhengju" };

/* A training category and how its records look. */
struct tkind {
	const char *category;
	const char *indicator;        /* what it feeds; NULL: nothing */
	int lo, hi;                   /* participants */
	const char *const *titles;
	size_t ntitles;
	const char *const *orgs;
	size_t norgs;
};

static const struct tkind tkinds[] = {
	{ "teacher", "teacher_training", 4, 12, t_teacher, N(t_teacher),
	  o_teacher, N(o_teacher) },
	{ "rural_tech", "rural_tech_training", 20, 60, t_rural, N(t_rural),
	  o_rural, N(o_rural) },
	{ "agri_technician", "agri_technician_training", 3, 10, t_agritech,
	  N(t_agritech), o_rural, N(o_rural) },
	{ "worker", "worker_training", 30, 120, t_worker, N(t_worker),
	  o_worker, N(o_worker) },
	{ "high_skill", "high_skill_talent", 20, 60, t_skill, N(t_skill),
	  o_skill, N(o_skill) },
	{ "official", "official_training", 30, 120, t_official, N(t_official),
	  o_official, N(o_official) },
	{ "elderly_digital", NULL, 20, 60, t_elderly, N(t_elderly),
	  o_local, N(o_local) },
	{ "other", NULL, 20, 80, t_other, N(t_other), o_local, N(o_local) },
};

/* An activity: type, title (head, then the township's name and tail when
 * tail is not NULL), target group, audience range. */
struct akind {
	const char *type;
	const char *head, *tail;
	const char *group;
	int lo, hi;
};

static const struct akind akinds[] = {
	{ "national_science_day", "全国科普日", "主场活动", "public", 300, 1500 },
	{ "tech_week", "科技活动周", "科普展览", "public", 200, 800 },
	{ "youth_robotics", "青少年机器人竞赛", "选拔赛", "youth", 40, 200 },
	{ "health_community", "健康科普进社区：慢病防治讲座", NULL, "elderly",
	  50, 200 },
	{ "safety_month", "安全生产月", "宣传咨询日", "workers", 150, 600 },
	{ "emergency_education", "防台风防汛应急科普宣传", NULL, "public",
	  100, 500 },
	{ "silver_volunteer", "银龄科普志愿服务进社区", NULL, "elderly", 40, 150 },
	{ "three_to_countryside", "文化科技卫生三下乡", "专场", "farmers",
	  200, 800 },
	{ "lab_open", "企业实验室开放日", NULL, "youth", 30, 120 },
	{ "civilization_practice", "", "新时代文明实践科普讲堂", "public",
	  60, 300 },
};

/* The plan's other work: a record of form, with kind_field set to kind
 * (when not NULL), name_field the township's name and name (a village
 * when name is NULL), num_field in [lo, hi]; up to `most` a year. */
struct wkind {
	const char *form, *kind_field, *kind, *name_field, *name, *num_field;
	int lo, hi, most;
};

static const struct wkind wkinds[] = {
	{ "base", "kind", "science_education", "name", "青少年科普教育基地", NULL, 0, 0, 1 },
	{ "base", "kind", "food_safety", "name", "食品安全宣传教育基地", NULL, 0, 0, 1 },
	{ "media", "kind", "e_station", "title", "科普中国e站", "views", 200, 3000, 1 },
	{ "media", "kind", "short_video", "title", "防范电信诈骗科普短视频", "views",
	  1000, 50000, 2 },
	{ "team", "kind", "tech_volunteer", "name", "科技志愿服务队", "members", 8, 40, 1 },
	{ "envoy", NULL, NULL, "village", NULL, "envoys", 1, 3, 3 },
	{ "funding", "source", "budget", "purpose", "全国科普日活动经费", "amount", 2, 20, 1 },
};

static const char *const crops[] = {
	"茶叶", "蔬菜", "葡萄", "花卉", "番薯", "紫菜", "鲍鱼", "龙眼",
};

/* ---- generating a township's year ----------------------------------------- */

struct gen {
	struct ledger *lg;
	const struct township *town;
	int year;
	struct rng r;
	long first, last;             /* days: the dates records may take */
	double frac;                  /* share of the year that has passed */
	struct record *recs;
	size_t n, cap;
	int rc;                       /* first failure, sticky */
};

static struct record *gen_new(struct gen *g, const char *form)
{
	struct record *p;
	char iso[11];
	size_t cap;

	if (g->n == g->cap) {
		cap = g->cap ? g->cap * 2 : 64;
		p = realloc(g->recs, cap * sizeof *p);
		if (!p) {
			g->rc = kp_err_nomem();
			return NULL;
		}
		g->recs = p;
		g->cap = cap;
	}
	p = &g->recs[g->n++];
	record_init(p);
	snprintf(p->form, sizeof p->form, "%s", form);
	snprintf(p->township, sizeof p->township, "%s", g->town->id);
	date_format(date_from_days(g->first + rng_in(&g->r, 0,
	            (int)(g->last - g->first))), iso);
	if (record_set(p, "date", iso) != KP_OK)
		g->rc = KP_E_NOMEM;
	return p;
}

static void gen_set(struct gen *g, struct record *rec, const char *name,
                    const char *value)
{
	if (!g->rc && record_set(rec, name, value) != KP_OK)
		g->rc = KP_E_NOMEM;
}

static void gen_setf(struct gen *g, struct record *rec, const char *name,
                     int value)
{
	char b[16];

	snprintf(b, sizeof b, "%d", value);
	gen_set(g, rec, name, b);
}

/* Now and then an event lasts a day or two longer. */
static void gen_end_date(struct gen *g, struct record *rec)
{
	struct kdate d;
	char iso[11];
	long end;

	if (rng_in(&g->r, 1, 7) != 1
	    || date_parse_iso(record_get(rec, "date"), &d) != KP_OK)
		return;
	end = date_to_days(d) + rng_in(&g->r, 1, 2);
	if (end <= g->last)
		gen_set(g, rec, "end_date", date_format(date_from_days(end), iso));
}

static void gen_venue(struct gen *g, struct record *rec)
{
	char b[128];

	switch (rng_in(&g->r, 0, 3)) {
	case 0:
		snprintf(b, sizeof b, "%s文化服务中心", g->town->name_zh);
		break;
	case 1:
		snprintf(b, sizeof b, "%s成人文化技术学校", g->town->name_zh);
		break;
	case 2:
		snprintf(b, sizeof b, "%s新时代文明实践所", g->town->name_zh);
		break;
	default:
		snprintf(b, sizeof b, "%s村委会会议室", PICK(&g->r, villages));
		break;
	}
	gen_set(g, rec, "venue", b);
}

/* One training record; returns what it adds to its indicator. */
static int gen_training(struct gen *g, const struct tkind *k)
{
	struct record *rec = gen_new(g, "training");
	int p = rng_in(&g->r, k->lo, k->hi), part = 0;

	if (!rec)
		return 0;
	gen_end_date(g, rec);
	gen_set(g, rec, "category", k->category);
	gen_set(g, rec, "title", rng_pick(&g->r, k->titles, k->ntitles));
	gen_set(g, rec, "organizer", rng_pick(&g->r, k->orgs, k->norgs));
	gen_venue(g, rec);
	gen_setf(g, rec, "participants", p);
	if (strcmp(k->category, "rural_tech") == 0) {
		part = p * rng_in(&g->r, 45, 85) / 100;
		gen_setf(g, rec, "farmers", part);
	} else if (strcmp(k->category, "high_skill") == 0) {
		part = p * rng_in(&g->r, 20, 50) / 100;
		gen_setf(g, rec, "certified", part);
		return part;
	}
	gen_set(g, rec, "hours", PICK(&g->r, hours));
	if (rng_in(&g->r, 0, 2))
		gen_set(g, rec, "trainer", PICK(&g->r, trainers));
	return p;
}

/* The even share of an indicator's city target for one township and one
 * year (not rounded up as quotas are, so that the city's two demonstration
 * bases stay about two). */
static double share(const struct ledger *lg, int year, const char *indicator)
{
	const struct schema *s = lg->schema;
	const struct indicator *ind = schema_indicator_of_year(s, year, indicator);
	double t;

	if (!ind || s->ntownships == 0)
		return 0;
	t = ind->target / (double)s->ntownships;
	if (ind->period == PERIOD_PLAN)
		t /= ind->plan->last_year - ind->plan->first_year + 1;
	return t;
}

/* How much a township has done: its share, times the year elapsed, times
 * its own pace for this indicator.  The last record usually overshoots,
 * hence a pace centred below 1. */
static double gen_want(struct gen *g, const char *indicator)
{
	double pace = rng_in(&g->r, 45, 120) / 100.0;

	return share(g->lg, g->year, indicator) * g->frac * pace;
}

/* A count from a fractional want: 0.3 is 1 three times in ten. */
static int gen_count(struct gen *g, double want)
{
	int n = (int)want;

	if (rng_in(&g->r, 0, 999) < (int)((want - n) * 1000))
		n++;
	return n;
}

static void gen_trainings(struct gen *g)
{
	size_t i;
	double want, done;
	int extra;

	for (i = 0; i < N(tkinds) && !g->rc; i++) {
		const struct tkind *k = &tkinds[i];

		if (k->indicator) {
			want = gen_want(g, k->indicator);
			for (done = 0; done < want && !g->rc;)
				done += gen_training(g, k);
			continue;
		}
		extra = gen_count(g, rng_in(&g->r, 2, 6) * g->frac);
		while (extra-- > 0 && !g->rc)
			gen_training(g, k);
	}
}

static void gen_activities(struct gen *g)
{
	int n = gen_count(g, rng_in(&g->r, 8, 20) * g->frac);
	const struct akind *a;
	struct record *rec;
	char b[160];

	while (n-- > 0 && !g->rc) {
		a = &akinds[rng_next(&g->r) % N(akinds)];
		if (!(rec = gen_new(g, "activity")))
			return;
		gen_end_date(g, rec);
		gen_set(g, rec, "type", a->type);
		if (a->tail)
			snprintf(b, sizeof b, "%s%s%s", a->head, g->town->name_zh,
			         a->tail);
		else
			snprintf(b, sizeof b, "%s", a->head);
		gen_set(g, rec, "title", b);
		gen_set(g, rec, "organizer", PICK(&g->r, o_local));
		gen_venue(g, rec);
		gen_setf(g, rec, "audience", rng_in(&g->r, a->lo, a->hi));
		if (rng_in(&g->r, 0, 1))
			gen_setf(g, rec, "volunteers", rng_in(&g->r, 3, 30));
		gen_set(g, rec, "target_group", a->group);
	}
}

static void gen_demos(struct gen *g, const char *kind, const char *indicator)
{
	int n = gen_count(g, gen_want(g, indicator));
	struct record *rec;
	const char *village;
	char b[160];

	while (n-- > 0 && !g->rc) {
		if (!(rec = gen_new(g, "demo")))
			return;
		village = PICK(&g->r, villages);
		gen_set(g, rec, "kind", kind);
		if (strcmp(kind, "base") == 0)
			snprintf(b, sizeof b, "%s%s科技示范基地", g->town->name_zh,
			         PICK(&g->r, crops));
		else if (rng_in(&g->r, 0, 1))
			snprintf(b, sizeof b, "晋江市%s%s家庭农场", village,
			         PICK(&g->r, crops));
		else
			snprintf(b, sizeof b, "晋江市%s%s专业合作社", village,
			         PICK(&g->r, crops));
		gen_set(g, rec, "name", b);
		gen_set(g, rec, "village", village);
		gen_set(g, rec, "certifier", "市农业农村局");
	}
}

static void gen_work(struct gen *g)
{
	const struct wkind *w;
	struct record *rec;
	char b[160];
	size_t i;
	int n;

	for (i = 0; i < N(wkinds) && !g->rc; i++) {
		w = &wkinds[i];
		if (!schema_form(g->lg->schema, w->form))
			continue;
		n = gen_count(g, rng_in(&g->r, 0, w->most) * g->frac);
		while (n-- > 0 && !g->rc) {
			if (!(rec = gen_new(g, w->form)))
				return;
			if (w->kind_field)
				gen_set(g, rec, w->kind_field, w->kind);
			if (w->name)
				snprintf(b, sizeof b, "%s%s", g->town->name_zh, w->name);
			else
				snprintf(b, sizeof b, "%s", PICK(&g->r, villages));
			gen_set(g, rec, w->name_field, b);
			if (w->num_field)
				gen_setf(g, rec, w->num_field, rng_in(&g->r, w->lo, w->hi));
		}
	}
}

/* ---- quotas --------------------------------------------------------------- */

static bool has_annual_quota(struct ledger *lg, const struct plan *p, int year,
                             const struct township **towns, size_t ntown)
{
	size_t i, j;
	double t;

	for (i = 0; i < ntown; i++)
		for (j = 0; j < p->nindicators; j++)
			if (p->indicators[j]->period == PERIOD_ANNUAL
			    && ledger_quota(lg, year, towns[i]->id,
			                    p->indicators[j]->id, &t) == KP_OK)
				return true;
	return false;
}

/* Example quotas for `year` when it has none: each countable indicator's
 * city target split evenly between the townships and rounded up (the
 * example quota file is made the same way); a plan-period quota already set
 * (perhaps the city's real one) stays. */
static int demo_quotas(struct ledger *lg, int year,
                       const struct township **towns, size_t ntown)
{
	const struct schema *s = lg->schema;
	const struct plan *p = schema_plan_of_year(s, year);
	struct quota_row *rows;
	size_t i, j, k = 0;
	double t;
	int rc;

	if (!p || has_annual_quota(lg, p, year, towns, ntown))
		return KP_OK;
	if (!(rows = calloc(ntown * p->nindicators + 1, sizeof *rows)))
		return kp_err_nomem();
	for (j = 0; j < p->nindicators; j++) {
		const struct indicator *ind = p->indicators[j];

		if (ind->measure == MEASURE_SURVEY || ind->target <= 0)
			continue;
		for (i = 0; i < ntown; i++) {
			struct quota_row *r = &rows[k];

			if (ind->period == PERIOD_PLAN
			    && ledger_quota(lg, year, towns[i]->id, ind->id, &t) == KP_OK)
				continue;
			r->year = ind->period == PERIOD_PLAN ? p->first_year : year;
			snprintf(r->township, sizeof r->township, "%s", towns[i]->id);
			snprintf(r->indicator, sizeof r->indicator, "%s", ind->id);
			r->target = ceil(ind->target / (double)s->ntownships);
			k++;
		}
	}
	rc = k ? ledger_set_quotas(lg, rows, k) : KP_OK;
	free(rows);
	return rc;
}

/* A city ledger gets a survey result for the year when it has none. */
static int demo_survey(struct ledger *lg, int year, unsigned seed)
{
	const struct plan *p = schema_plan_of_year(lg->schema, year);
	struct rng r;
	size_t i;
	double v;
	int rc;

	if (lg->mode != LEDGER_CITY_MODE || !p)
		return KP_OK;
	rng_seed(&r, seed, (unsigned)year);
	for (i = 0; i < p->nindicators; i++) {
		const struct indicator *ind = p->indicators[i];

		if (ind->measure != MEASURE_SURVEY)
			continue;
		rc = ledger_value(lg, year, ind->id, &v);
		if (rc == KP_NOTFOUND)
			rc = ledger_set_value(lg, year, ind->id,
			                      ind->target * rng_in(&r, 80, 110) / 100);
		if (rc != KP_OK)
			return rc;
	}
	return KP_OK;
}

/* ---- filling -------------------------------------------------------------- */

static void gen_free(struct gen *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		record_free(&g->recs[i]);
	free(g->recs);
	g->recs = NULL;
	g->n = g->cap = 0;
}

/* A demo record refused by the checks is a bug in this file: say which. */
static int refused(const struct check_result *res, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < res[i].nfindings; j++)
			if (res[i].findings[j].sev == SEV_ERROR)
				return kp_err_set(KP_E_SOFTWARE, "demo: %s: %s",
				                  res[i].findings[j].field,
				                  finding_msg(&res[i].findings[j]));
	return KP_E_DATA;
}

static int store_batch(struct gen *g, size_t *added)
{
	struct check_result *res;
	size_t i;
	int rc;

	if (g->n == 0)
		return KP_OK;
	res = calloc(g->n, sizeof *res);
	if (!res)
		return kp_err_nomem();
	for (i = 0; i < g->n; i++)
		check_result_init(&res[i]);
	rc = ledger_add_many(g->lg, g->recs, g->n, res);
	if (rc == KP_E_DATA)
		rc = refused(res, g->n);
	if (rc == KP_OK)
		*added += g->n;
	for (i = 0; i < g->n; i++)
		check_result_free(&res[i]);
	free(res);
	return rc;
}

static int fill_township(struct gen *g, size_t *added)
{
	int rc;

	gen_trainings(g);
	gen_activities(g);
	gen_demos(g, "entity", "agri_demo_entities");
	gen_demos(g, "base", "agri_demo_bases");
	gen_work(g);
	rc = g->rc ? g->rc : store_batch(g, added);
	gen_free(g);
	return rc;
}

int demo_fill(struct ledger *lg, int year, unsigned seed, size_t *added)
{
	const struct schema *s = lg->schema;
	const struct township **towns;
	struct kdate today = date_today();
	struct gen g;
	size_t ntown, i;
	int rc;

	*added = 0;
	if (year == 0)
		year = lg->year;
	if (year < schema_first_year(s))
		return kp_err_set(KP_E_DATA, LF("%d 年在第一个规划（%d 年起）之前",
		                  "%d is before the first plan (from %d)"), year,
		                  schema_first_year(s));
	towns = calloc(s->ntownships + 1, sizeof *towns);
	if (!towns)
		return kp_err_nomem();
	ntown = ledger_townships(lg, towns, s->ntownships);
	if ((rc = demo_quotas(lg, year, towns, ntown)) != KP_OK)
		goto out;
	if ((rc = demo_survey(lg, year, seed)) != KP_OK)
		goto out;
	for (i = 0; i < ntown && rc == KP_OK; i++) {
		memset(&g, 0, sizeof g);
		g.lg = lg;
		g.town = towns[i];
		g.year = year;
		rng_seed(&g.r, seed, (unsigned)year ^ name_hash(towns[i]->id));
		g.first = date_to_days((struct kdate){ year, 1, 1 });
		g.last = date_to_days((struct kdate){ year, 12, 31 });
		g.frac = 1;
		if (year > today.y)
			continue;     /* nothing has happened yet */
		if (year == today.y) {
			g.last = date_to_days(today);
			g.frac = (double)date_day_of_year(today)
			         / date_days_in_year(year);
		}
		rc = fill_township(&g, added);
	}
out:
	free(towns);
	return rc;
}

/* ---- CSV for benchmarks --------------------------------------------------- */

static const char *const csv_header[] = {
	"date", "end_date", "category", "title", "organizer", "venue",
	"participants", "farmers", "certified", "hours", "trainer", "notes",
};

static const char *const csv_notes[] = {
	"", "", "", "含实操，分两批进行", "签到表已存档", "\"线上+线下\"同步",
};

static void csv_row(struct csvw *w, struct rng *r, long first, long days)
{
	const struct tkind *k = &tkinds[rng_next(r) % N(tkinds)];
	int p = rng_in(r, 20, 120);
	char date[11], venue[64];

	date_format(date_from_days(first + rng_in(r, 0, (int)days - 1)), date);
	snprintf(venue, sizeof venue, "%s村委会会议室", PICK(r, villages));
	csvw_field(w, date);
	csvw_field(w, NULL);
	csvw_field(w, k->category);
	csvw_field(w, rng_pick(r, k->titles, k->ntitles));
	csvw_field(w, rng_pick(r, k->orgs, k->norgs));
	csvw_field(w, venue);
	csvw_fieldf(w, "%d", p);
	if (strcmp(k->category, "rural_tech") == 0)
		csvw_fieldf(w, "%d", p * rng_in(r, 45, 85) / 100);
	else
		csvw_field(w, NULL);
	if (strcmp(k->category, "high_skill") == 0)
		csvw_fieldf(w, "%d", p * rng_in(r, 20, 50) / 100);
	else
		csvw_field(w, NULL);
	csvw_field(w, PICK(r, hours));
	csvw_field(w, PICK(r, trainers));
	csvw_field(w, PICK(r, csv_notes));
	csvw_end_row(w);
}

int demo_training_csv(FILE *out, size_t n, int year, unsigned seed)
{
	long first = date_to_days((struct kdate){ year, 1, 1 });
	long days = date_days_in_year(year), upto = date_to_days(date_today());
	struct csvw w;
	struct rng r;
	size_t i;

	/* Only days that have come: a record is never dated after today. */
	if (upto >= first && upto - first + 1 < days)
		days = upto - first + 1;
	rng_seed(&r, seed, (unsigned)year);
	csvw_begin(&w, out, 0);
	csvw_row(&w, N(csv_header), csv_header);
	for (i = 0; i < n && w.status == KP_OK; i++)
		csv_row(&w, &r, first, days);
	return csvw_finish(&w);
}
