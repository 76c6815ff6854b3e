/* schema_base.c - a small, valid set of form files for the schema's unit
 * tests (schema_base.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "schema_base.h"

const char *forms_dir(void)
{
	const char *d = getenv("KEPU_FORMS");

	return d && *d ? d : KEPU_SRCDIR "/forms";
}

const char *const base_name[NBASE] = {
	"plan.csv", "choices.csv", "townships.csv", "t.csv", "indicators.csv",
};

const char *const base_data[NBASE] = {
	"key,value\nid,p\nname_zh,计划\nname_en,Plan\nfirst_year,2021\n"
	"last_year,2025\nforms,t\n",
	"list,code,label_zh,label_en\ncat,a,甲,A\nform,t,表,T\ncat,b,乙,B\n",
	"id,name_zh,name_en,kind,official_code\nx,某镇,X,town,\n",
	"name,type,label_zh,required,min,max,width,choices,relevant,constraint\n"
	"d,date,日期,yes,,,,,,\n"
	"c,choice,类,是,,,,cat,,\n"
	"n,integer,数,1,0,,,,c = 'a',n <= m\n"
	"m,integer,总,,1,10,,,,\n"
	"w,text,文,no,,,20,,,\n",
	"id,label_zh,period,comparator,target,form,measure,field,filter\n"
	"i,指标,annual,>=,5,t,sum,n,c = 'a'\n"
	"k,计数,plan,=,2,t,count,,\n"
	"s,调查,plan,>,16,,survey,,\n",
};

/* Load the base set with file `which` replaced by data (NULL: left out),
 * plus an extra file when extra_name is given. */
int load_variant(int which, const char *data, const char *extra_name,
                        const char *extra, struct schema **out)
{
	struct schema_file files[NBASE + 1];
	size_t n = 0, i;

	for (i = 0; i < NBASE; i++) {
		const char *d = (int)i == which ? data : base_data[i];
		if (!d)
			continue;
		files[n].name = base_name[i];
		files[n].data = d;
		files[n].len = strlen(d);
		n++;
	}
	if (extra_name) {
		files[n].name = extra_name;
		files[n].data = extra;
		files[n].len = strlen(extra);
		n++;
	}
	return schema_load_files(files, n, out);
}

