<?php
/**
 * Writes languages/oncloudwine-for-woocommerce.pot from the plugin's sources, for machines
 * without `wp i18n make-pot`. Extracts __(), _e(), esc_html__(), esc_html_e(), esc_attr__(),
 * esc_attr_e(), _x(), _n() with the plugin's text domain, translator comments, and the
 * plugin header fields wp i18n extracts.
 *
 * Usage: php make-pot.php <plugin dir> <output .pot>
 *
 * @package OnCloudWine\Tools
 */

// phpcs:disable WordPress.WP.AlternativeFunctions

if ( $argc < 3 ) {
	fwrite( STDERR, "usage: php make-pot.php <plugin dir> <output .pot>\n" );
	exit( 2 );
}

$ocw_dir    = rtrim( $argv[1], '/' );
$ocw_out    = $argv[2];
$ocw_domain = 'oncloudwine-for-woocommerce';

/**
 * Entries: key (context \x04 msgid) => array( msgid, msgctxt, plural, refs[], comments[] ).
 */
$ocw_entries = array();

/**
 * Adds an entry.
 *
 * @param array       $entries  Entries.
 * @param string      $msgid    Text.
 * @param string|null $context  Context.
 * @param string|null $plural   Plural.
 * @param string      $ref      file:line.
 * @param string|null $comment  Translator comment.
 */
function ocw_pot_add( array &$entries, $msgid, $context, $plural, $ref, $comment ) {
	$key = ( null === $context ? '' : $context . "\x04" ) . $msgid;
	if ( ! isset( $entries[ $key ] ) ) {
		$entries[ $key ] = array(
			'msgid'    => $msgid,
			'msgctxt'  => $context,
			'plural'   => $plural,
			'refs'     => array(),
			'comments' => array(),
		);
	}
	$entries[ $key ]['refs'][] = $ref;
	if ( null !== $comment && ! in_array( $comment, $entries[ $key ]['comments'], true ) ) {
		$entries[ $key ]['comments'][] = $comment;
	}
}

/**
 * The value of a PHP string literal token.
 *
 * @param string $literal Token text.
 * @return string|null
 */
function ocw_pot_literal( $literal ) {
	if ( '' === $literal ) {
		return null;
	}
	if ( "'" === $literal[0] ) {
		return str_replace( array( "\\'", '\\\\' ), array( "'", '\\' ), substr( $literal, 1, -1 ) );
	}
	if ( '"' === $literal[0] ) {
		return stripcslashes( substr( $literal, 1, -1 ) );
	}
	return null;
}

/**
 * Escapes a string for a PO file.
 *
 * @param string $text Text.
 * @return string
 */
function ocw_pot_escape( $text ) {
	return '"' . addcslashes( $text, "\0..\37\"\\" ) . '"';
}

// Functions and the position of (msgid, plural, context, domain).
$ocw_functions = array(
	'__'         => array( 'text', 'domain' ),
	'_e'         => array( 'text', 'domain' ),
	'esc_html__' => array( 'text', 'domain' ),
	'esc_html_e' => array( 'text', 'domain' ),
	'esc_attr__' => array( 'text', 'domain' ),
	'esc_attr_e' => array( 'text', 'domain' ),
	'_x'         => array( 'text', 'context', 'domain' ),
	'esc_html_x' => array( 'text', 'context', 'domain' ),
	'_n'         => array( 'text', 'plural', 'count', 'domain' ),
);

$ocw_files = new RecursiveIteratorIterator( new RecursiveDirectoryIterator( $ocw_dir, FilesystemIterator::SKIP_DOTS ) );
$ocw_paths = array();
foreach ( $ocw_files as $ocw_file ) {
	if ( 'php' === $ocw_file->getExtension() ) {
		$ocw_paths[] = $ocw_file->getPathname();
	}
}
sort( $ocw_paths );

foreach ( $ocw_paths as $ocw_path ) {
	$ocw_rel     = ltrim( substr( $ocw_path, strlen( $ocw_dir ) ), '/' );
	$ocw_tokens  = token_get_all( file_get_contents( $ocw_path ) );
	$ocw_comment = null;
	$ocw_count   = count( $ocw_tokens );
	for ( $i = 0; $i < $ocw_count; $i++ ) {
		$token = $ocw_tokens[ $i ];
		if ( is_array( $token ) && T_COMMENT === $token[0] && false !== stripos( $token[1], 'translators:' ) ) {
			$ocw_comment = trim( preg_replace( '#^/\*+|\*+/$|^//#', '', $token[1] ) );
			continue;
		}
		if ( ! is_array( $token ) || T_STRING !== $token[0] || ! isset( $ocw_functions[ $token[1] ] ) ) {
			continue;
		}
		// Skip method calls and definitions.
		$prev = $i - 1;
		while ( $prev >= 0 && is_array( $ocw_tokens[ $prev ] ) && T_WHITESPACE === $ocw_tokens[ $prev ][0] ) {
			--$prev;
		}
		if ( $prev >= 0 && is_array( $ocw_tokens[ $prev ] ) && in_array( $ocw_tokens[ $prev ][0], array( T_OBJECT_OPERATOR, T_DOUBLE_COLON, T_FUNCTION ), true ) ) {
			continue;
		}
		$j = $i + 1;
		while ( $j < $ocw_count && is_array( $ocw_tokens[ $j ] ) && T_WHITESPACE === $ocw_tokens[ $j ][0] ) {
			++$j;
		}
		if ( $j >= $ocw_count || '(' !== $ocw_tokens[ $j ] ) {
			continue;
		}
		// Collect top-level arguments: a single string literal each, or null.
		$args    = array();
		$current = null;
		$simple  = true;
		$depth   = 0;
		for ( $k = $j + 1; $k < $ocw_count; $k++ ) {
			$t = $ocw_tokens[ $k ];
			if ( '(' === $t || '[' === $t ) {
				++$depth;
			} elseif ( ')' === $t || ']' === $t ) {
				if ( 0 === $depth ) {
					$args[] = $simple ? $current : null;
					break;
				}
				--$depth;
			} elseif ( ',' === $t && 0 === $depth ) {
				$args[]  = $simple ? $current : null;
				$current = null;
				$simple  = true;
				continue;
			}
			if ( is_array( $t ) && in_array( $t[0], array( T_WHITESPACE, T_COMMENT ), true ) ) {
				continue;
			}
			if ( 0 === $depth && is_array( $t ) && T_CONSTANT_ENCAPSED_STRING === $t[0] && null === $current ) {
				$current = ocw_pot_literal( $t[1] );
			} else {
				$simple = false;
			}
		}
		$spec   = $ocw_functions[ $token[1] ];
		$values = array();
		foreach ( $spec as $n => $name ) {
			$values[ $name ] = isset( $args[ $n ] ) ? $args[ $n ] : null;
		}
		if ( $ocw_domain !== $values['domain'] || null === $values['text'] ) {
			$ocw_comment = null;
			continue;
		}
		ocw_pot_add(
			$ocw_entries,
			$values['text'],
			isset( $values['context'] ) ? $values['context'] : null,
			isset( $values['plural'] ) ? $values['plural'] : null,
			$ocw_rel . ':' . $token[2],
			$ocw_comment
		);
		$ocw_comment = null;
	}
}

// Plugin header fields, as `wp i18n make-pot` extracts them.
$ocw_main   = $ocw_dir . '/' . basename( $ocw_dir ) . '.php';
$ocw_header = file_get_contents( $ocw_main, false, null, 0, 8192 );
$ocw_fields = array( 'Plugin Name', 'Plugin URI', 'Description', 'Author', 'Author URI' );
$ocw_head   = array();
foreach ( $ocw_fields as $ocw_field ) {
	if ( preg_match( '/^[ \t\/*#@]*' . preg_quote( $ocw_field, '/' ) . ':(.*)$/mi', $ocw_header, $m ) ) {
		$ocw_head[ $ocw_field ] = trim( $m[1] );
	}
}

$ocw_lines   = array();
$ocw_lines[] = '# Copyright (C) ' . gmdate( 'Y' ) . ' OnCloudWine';
$ocw_lines[] = '# This file is distributed under the GPL-2.0-or-later.';
$ocw_lines[] = 'msgid ""';
$ocw_lines[] = 'msgstr ""';
$ocw_lines[] = ocw_pot_escape( 'Project-Id-Version: ' . ( isset( $ocw_head['Plugin Name'] ) ? $ocw_head['Plugin Name'] : $ocw_domain ) . "\n" );
$ocw_lines[] = ocw_pot_escape( "Report-Msgid-Bugs-To: https://github.com/oncloudwine/ocw-woocommerce/issues\n" );
$ocw_lines[] = ocw_pot_escape( "MIME-Version: 1.0\n" );
$ocw_lines[] = ocw_pot_escape( "Content-Type: text/plain; charset=UTF-8\n" );
$ocw_lines[] = ocw_pot_escape( "Content-Transfer-Encoding: 8bit\n" );
$ocw_lines[] = ocw_pot_escape( "Language-Team: LANGUAGE <LL@li.org>\n" );
$ocw_lines[] = ocw_pot_escape( "X-Domain: {$ocw_domain}\n" );
$ocw_lines[] = '';

foreach ( $ocw_head as $ocw_field => $ocw_value ) {
	$ocw_lines[] = '#. ' . $ocw_field . ' of the plugin';
	$ocw_lines[] = '#: ' . basename( $ocw_main );
	$ocw_lines[] = 'msgid ' . ocw_pot_escape( $ocw_value );
	$ocw_lines[] = 'msgstr ""';
	$ocw_lines[] = '';
	unset( $ocw_entries[ $ocw_value ] );
}

foreach ( $ocw_entries as $ocw_entry ) {
	foreach ( $ocw_entry['comments'] as $ocw_comment_text ) {
		$ocw_lines[] = '#. ' . $ocw_comment_text;
	}
	$ocw_lines[] = '#: ' . implode( ' ', $ocw_entry['refs'] );
	if ( preg_match( '/%(\d+\$)?[sdf]/', $ocw_entry['msgid'] ) ) {
		$ocw_lines[] = '#, php-format';
	}
	if ( null !== $ocw_entry['msgctxt'] ) {
		$ocw_lines[] = 'msgctxt ' . ocw_pot_escape( $ocw_entry['msgctxt'] );
	}
	$ocw_lines[] = 'msgid ' . ocw_pot_escape( $ocw_entry['msgid'] );
	if ( null !== $ocw_entry['plural'] ) {
		$ocw_lines[] = 'msgid_plural ' . ocw_pot_escape( $ocw_entry['plural'] );
		$ocw_lines[] = 'msgstr[0] ""';
		$ocw_lines[] = 'msgstr[1] ""';
	} else {
		$ocw_lines[] = 'msgstr ""';
	}
	$ocw_lines[] = '';
}

file_put_contents( $ocw_out, implode( "\n", $ocw_lines ) );
fwrite( STDOUT, sprintf( "%s: %d strings\n", $ocw_out, count( $ocw_entries ) + count( $ocw_head ) ) );
