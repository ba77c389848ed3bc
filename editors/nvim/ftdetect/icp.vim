" icprules rule files.
autocmd BufRead,BufNewFile *.icp setfiletype icp
