package textscale

import "golang.org/x/sys/windows/registry"

func osFactor() float32 {
	k, err := registry.OpenKey(registry.CURRENT_USER, `Software\Microsoft\Accessibility`, registry.QUERY_VALUE)
	if err != nil {
		return 1
	}
	defer k.Close()
	pct, _, err := k.GetIntegerValue("TextScaleFactor")
	if err != nil {
		return 1
	}
	return float32(pct) / 100
}
