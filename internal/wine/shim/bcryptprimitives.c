/*
 * bcryptprimitives.dll for Wine 8 (Debian 12's), which lacks it: Go's runtime needs
 * its ProcessPrng (Windows 10 and later) before anything else runs. Test harness
 * only — built by package wine (ui/internal/wine) into a throwaway Wine prefix; never shipped.
 */
#include <windows.h>
#define SystemFunction036 NTAPI SystemFunction036
#include <ntsecapi.h>
#undef SystemFunction036

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
	while (len > 0) {
		ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
		if (!RtlGenRandom(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
