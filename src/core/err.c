/* err.c - the error message buffer and status descriptions. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "lang.h"

static _Thread_local char err_buf[1024];

int kp_err_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err_buf, sizeof err_buf, fmt, ap);
	va_end(ap);
	return code;
}

int kp_err_wrap(int code, const char *fmt, ...)
{
	char prefix[512];
	size_t plen, n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix - 2, fmt, ap);
	va_end(ap);
	strcat(prefix, ": ");
	/* Shift the old message right and put the prefix in front of it; the
	 * tail is cut when the whole no longer fits. */
	plen = strlen(prefix);
	n = strnlen(err_buf, sizeof err_buf - 1 - plen);
	memmove(err_buf + plen, err_buf, n);
	err_buf[plen + n] = '\0';
	memcpy(err_buf, prefix, plen);
	return code;
}

int kp_err_nomem(void)
{
	return kp_err_set(KP_E_NOMEM, "%s", kp_strerror(KP_E_NOMEM));
}

const char *kp_err_msg(void)
{
	return err_buf;
}

const char *kp_strerror(int code)
{
	switch (code) {
	case KP_OK:          return L("成功", "success");
	case KP_NOTFOUND:    return L("未找到", "not found");
	case KP_E_USAGE:     return L("命令用法错误", "usage error");
	case KP_E_DATA:      return L("数据有误，未保存", "bad data, nothing stored");
	case KP_E_NOINPUT:   return L("找不到输入", "input missing");
	case KP_E_NOMEM:     return L("内存不足", "out of memory");
	case KP_E_SOFTWARE:  return L("内部错误", "internal error");
	case KP_E_CANTCREAT: return L("无法创建", "cannot create");
	case KP_E_IO:        return L("读写错误", "I/O error");
	case KP_E_TEMPFAIL:  return L("忙或有冲突，请重试", "busy or conflict, try again");
	case KP_E_NOPERM:    return L("没有权限", "permission denied");
	case KP_E_INTR:      return L("已中止", "stopped");
	default:             return L("未知错误", "unknown error");
	}
}

int kp_exit_code(int code)
{
	if (code == KP_NOTFOUND)
		return KP_E_NOINPUT;
	return code;
}
