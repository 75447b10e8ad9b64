package config

// LanguageCodes lists the site's languages, the default first.
func (c *Config) LanguageCodes() []string {
	return []string{c.Language}
}
