package mail

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"syscall"
)

// Languages are the languages a credential email may be written in.
var Languages = []string{LangEnglish, LangArabic, LangBilingual}

// The placeholders CheckTemplates renders a sample credential with; they
// survive HTML escaping unchanged.
const (
	samplePassword = "Sample-Password-7f3a9c"
	sampleUsername = "sample.username.7f3a9c"
)

// CheckTemplates renders a sample credential with every template that could
// be used for the hospitals codes and languages langs under the override
// folder dir (overrides and built-ins, text and HTML, subject included) and
// fails unless each renders and carries both the username and the password
// in its text part and in its HTML part: a template that drops them would
// lose the password for good. Errors name the template file (and line, for
// parse errors). codes nil means every hospital folder under dir, plus the
// folder itself; langs nil means every language.
func CheckTemplates(dir string, codes, langs []string) error {
	if langs == nil {
		langs = Languages
	}
	if codes == nil {
		codes = []string{""}
		if dir != "" {
			entries, err := os.ReadDir(dir)
			if err != nil {
				return folderError(dir, err)
			}
			for _, e := range entries {
				if e.IsDir() {
					codes = append(codes, e.Name())
				}
			}
		}
	} else if dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return folderError(dir, err)
		}
	}
	seen := map[string]bool{}
	var errs []error
	for _, code := range codes {
		for _, lang := range langs {
			if lang == "" {
				lang = LangBilingual
			}
			for _, err := range checkPair(dir, code, lang) {
				if !seen[err.Error()] {
					seen[err.Error()] = true
					errs = append(errs, err)
				}
			}
		}
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errors.Join(errs...)
}

// folderError words an error reading the templates folder dir.
func folderError(dir string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("email.templates: folder %s does not exist", dir)
	}
	if errors.Is(err, syscall.ENOTDIR) {
		return fmt.Errorf("email.templates: %s is not a folder", dir)
	}
	return fmt.Errorf("email.templates: folder %s: %w", dir, err)
}

// checkPair checks the text and HTML templates one hospital and language
// would use.
func checkPair(dir, code, lang string) []error {
	txtSrc, txtName, err := loadTemplate(dir, code, lang, "txt")
	if err != nil {
		return []error{err}
	}
	htmlSrc, htmlName, err := loadTemplate(dir, code, lang, "html")
	if err != nil {
		return []error{err}
	}
	c := Credential{
		HospitalCode: code, HospitalName: "Sample Hospital", HospitalNameAr: "مستشفى",
		FirstName: "Sample", LastName: "Person", FirstNameAr: "عينة", LastNameAr: "شخص",
		Username: sampleUsername, Password: samplePassword, Email: "sample@example.org",
		LoginURL: "https://example.org/accounts/login/", Language: lang,
	}
	data := templateData{Credential: c}
	var errs []error
	for _, part := range []struct {
		name, src string
		render    func(string, string, templateData, int) (string, error)
	}{
		{txtName, txtSrc, renderText},
		{htmlName, htmlSrc, renderHTML},
	} {
		subject, body := splitSubject(part.src)
		if subject != "" {
			if _, err := renderText(part.name, subject, data, 0); err != nil {
				errs = append(errs, err)
			}
		}
		out, err := part.render(part.name, body, data, bodyLine(subject))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		var missing []string
		if !strings.Contains(out, sampleUsername) {
			missing = append(missing, "{{.Username}}")
		}
		if !strings.Contains(out, samplePassword) {
			missing = append(missing, "{{.Password}}")
		}
		if len(missing) > 0 {
			errs = append(errs, fmt.Errorf("template %s does not show %s: a credential email must carry the username and the password, or the password is lost",
				part.name, strings.Join(missing, " and ")))
		}
	}
	return errs
}
