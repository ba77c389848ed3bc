" Vim syntax for icprules rule files (.icp): the same classes as the
" TextMate grammar of editors/vscode; the language server adds what names
" resolve to where the editor asks for semantic tokens.
if exists('b:current_syntax')
  finish
endif

syn keyword icpDeclaration ruleset rule document invariant def record enum input report uploads sections
syn keyword icpClause import severity source for when let require requires message at overrides
syn keyword icpOperator and or not in
syn match icpQuantifier "\<\(all\|any\|none\)\>\ze\s\+\h\w*\s\+in\>"
syn match icpQuantifier "\<count\>\ze\s*("
syn keyword icpQuantifier where
syn keyword icpConstant true false null
syn keyword icpSeverity error warning info contained
syn match icpSeverityClause "\<severity\s\+\(error\|warning\|info\)\>" contains=icpClause,icpSeverity
syn match icpNumber "\<\d\+\>"
syn match icpType "\<\u\w*\>"
syn match icpType "\<\(text\|int\|bool\)\>\ze\s*[?\],)=]"
syn match icpType "\<\(text\|int\|bool\)\>$"
syn match icpRuleName "\(\<\(rule\|document\|invariant\)\s\+\)\@<=\l[a-z0-9_-]*"
syn match icpRuleName "\(\<overrides\s\+\)\@<=\l[a-z0-9_-]*\.\l[a-z0-9_-]*"
syn match icpName "\(\<\(ruleset\|def\)\s\+\)\@<=\h\w*"
syn match icpEscape "\\." contained
syn region icpString start=+"+ skip=+\\.+ end=+"+ end=+$+ contains=icpEscape oneline
syn match icpLang "\<\(zh\|en\)\>\ze\s*\""
syn region icpMessage matchgroup=icpString start=+\(\<\(message\|zh\|en\)\s*\)\@<="+ skip=+\\.+ end=+"+ end=+$+ contains=icpEscape,icpBraces,icpHole oneline
syn match icpBraces "{{\|}}" contained
syn region icpHole matchgroup=icpDelimiter start=+{+ end=+}+ contained contains=TOP
syn match icpComment "//.*$" contains=@Spell

hi def link icpDeclaration Structure
hi def link icpClause Keyword
hi def link icpLang Keyword
hi def link icpOperator Operator
hi def link icpQuantifier Repeat
hi def link icpConstant Constant
hi def link icpSeverity Constant
hi def link icpNumber Number
hi def link icpType Type
hi def link icpRuleName Function
hi def link icpName Identifier
hi def link icpString String
hi def link icpMessage String
hi def link icpEscape SpecialChar
hi def link icpBraces SpecialChar
hi def link icpDelimiter Delimiter
hi def link icpComment Comment

let b:current_syntax = 'icp'
