-- icprules rule files: `//` comments, two-space indentation, and the
-- language server (`icprules lsp`, see editors/nvim/lua/icprules.lua).
vim.bo.commentstring = '// %s'
vim.bo.comments = '://'
vim.bo.shiftwidth = 2
vim.bo.tabstop = 2
vim.bo.expandtab = true
if vim.g.icprules_no_lsp == nil then
  require('icprules').attach(vim.api.nvim_get_current_buf())
end
